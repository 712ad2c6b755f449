#!/usr/bin/env python3
"""Runs every measurement of scripts/bench and prints a table and JSON (see BENCHMARKS.md).

scripts/bench installs nginx and wrk and builds; this file only measures. Each phase starts a
fresh `wirehook serve` (fresh data directory or database), so one phase's rows never slow the next.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TOKEN = "bench-admin-token-0123456789abcdef"
EVENT = '{"type":"user.created","data":{"username":"bench-user-0001","uuid":"0f6f3b3a-7c1e-4a57-9d1f-6a2c9e2d4b11","status":"ACTIVE","trafficLimitBytes":107374182400,"expireAt":"2027-01-01T00:00:00Z","tag":"bench","note":"a typical panel user event of about 370 bytes, padded to size ..........................................................................................."}}'


def log(text):
    print(f"==> {text}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """A receiver answering 200 to any POST, on a port of its own, as a child process."""

    def __init__(self, root, port):
        self.root = os.path.join(root, f"nginx-{port}")
        os.makedirs(os.path.join(self.root, "logs"), exist_ok=True)
        self.port = port
        conf = os.path.join(self.root, "nginx.conf")
        with open(conf, "w") as f:
            f.write(
                f"""daemon off;
worker_processes 1;
pid {self.root}/nginx.pid;
error_log {self.root}/logs/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {self.root}/body;
    proxy_temp_path {self.root}/proxy;
    fastcgi_temp_path {self.root}/fastcgi;
    uwsgi_temp_path {self.root}/uwsgi;
    scgi_temp_path {self.root}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{ return 200 "ok"; }}
    }}
}}
"""
            )
        self.process = subprocess.Popen(["nginx", "-c", conf, "-p", self.root], stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self):
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Server:
    """One `wirehook serve` child process."""

    def __init__(self, binary, root, name, extra_env=None):
        self.data = os.path.join(root, name)
        os.makedirs(self.data, exist_ok=True)
        env = dict(os.environ)
        env.update(
            {
                "WIREHOOK_ADMIN_TOKEN": TOKEN,
                "WIREHOOK_ALLOW_PRIVATE_TARGETS": "1",
                "WIREHOOK_LOG_LEVEL": "warning",
                "WIREHOOK_DATA_DIR": self.data,
            }
        )
        env.update(extra_env or {})
        self.log = open(os.path.join(root, f"{name}.log"), "ab")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0"], env=env, stdout=subprocess.PIPE, stderr=self.log
        )
        self.port = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode(errors="replace")
            if not line:
                break
            match = re.search(r"listening on http://[^:]+:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                break
        if self.port is None:
            raise RuntimeError(f"wirehook did not start; see {self.log.name}")
        self.startup_seconds = time.monotonic() - started
        # Keep reading standard output so the child never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def add_endpoints(self, port, count=4):
        for n in range(count):
            self.request("POST", "/webhooks", {"url": f"http://127.0.0.1:{port}/hook{n}", "events": ["user.created"]})

    def metrics(self):
        request = urllib.request.Request(self.url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        values = {}
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            name, _, value = line.rpartition(" ")
            try:
                values[name] = float(value)
            except ValueError:
                pass
        return values

    def delivered(self):
        return self.metrics().get('wirehook_deliveries_finished_total{status="success"}', 0.0)

    def created(self):
        return self.metrics().get("wirehook_deliveries_created_total", 0.0)

    def accepted(self):
        return self.metrics().get("wirehook_events_accepted_total", 0.0)

    def peak_rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self, kill=False):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def wrk(root, url, body, connections, seconds, threads=1):
    """Runs wrk POSTing `body` to `url`; returns requests, 2xx requests and seconds."""
    script = os.path.join(root, f"wrk-{abs(hash(body)) % 10**8}.lua")
    with open(script, "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write(f'wrk.headers["Content-Type"] = "application/json"\n')
        f.write(f'wrk.headers["Authorization"] = "Bearer {TOKEN}"\n')
        f.write("wrk.body = [==[" + body + "]==]\n")
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script, url],
        capture_output=True, text=True, check=True,
    ).stdout
    match = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    requests = int(match.group(1))
    elapsed = float(match.group(2)) / (1000 if match.group(3) == "ms" else 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    ok = requests - (int(bad.group(1)) if bad else 0)
    return {"requests": requests, "ok": ok, "seconds": elapsed, "socket_errors": errors.group(0) if errors else None}


def wait_delivered(servers, expected, limit):
    """Polls the servers' metrics until `expected` deliveries are recorded; returns when that happened."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if sum(s.delivered() for s in servers) >= expected:
            return time.monotonic()
        time.sleep(0.05)
    return None


def batch_body(count):
    return "[" + ",".join([EVENT] * count) + "]"


class Bench:
    def __init__(self, args):
        self.args = args
        self.smoke = args.smoke
        self.bin = args.bin_dir
        self.root = tempfile.mkdtemp(prefix="wirehook-bench.")
        self.results = {}
        self.nginx = None
        # Durations and counts: the smoke only proves every step runs.
        self.seconds = 2 if self.smoke else 5
        self.backlog_events = 2_000 if self.smoke else 250_000
        self.baseline_events = 200 if self.smoke else 10_000
        self.latency_rate = 200 if self.smoke else 1000
        self.latency_seconds = 2 if self.smoke else 10
        self.backlog_window = 5 if self.smoke else 30
        self.claim_backlog = 3_000 if self.smoke else 300_000

    def claim_backlog_run(self, store, extra=(), backlog=None):
        """One capped endpoint with a long due backlog ahead of the others' work: claim times."""
        backlog = self.claim_backlog if backlog is None else backlog
        output = subprocess.run(
            [os.path.join(self.bin, "wirehook-bench"), "claim-backlog", "--store", store,
             "--backlog", str(backlog), "--claims", "50" if self.smoke else "200", *extra],
            capture_output=True, text=True, check=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    def claims(self):
        log(f"claims on SQLite with {self.claim_backlog:,} deliveries due on one endpoint at its cap")
        result = self.claim_backlog_run("sqlite")
        self.record("claim_backlog_rows", self.claim_backlog)
        self.record("claim_sqlite_p50_ms", result["p50_ms"])
        self.record("claim_sqlite_p99_ms", result["p99_ms"])
        log("the same claims with no backlog, for comparison")
        empty = self.claim_backlog_run("sqlite", backlog=0)
        self.record("claim_sqlite_empty_p50_ms", empty["p50_ms"])
        self.record("claim_sqlite_ratio", result["p50_ms"] / empty["p50_ms"] if empty["p50_ms"] else 0)

    def server(self, name, env=None):
        return Server(os.path.join(self.bin, "wirehook"), self.root, name, env)

    def record(self, key, value):
        self.results[key] = value
        log(f"{key} = {value}")

    def raw(self):
        log("raw: wrk straight to nginx")
        result = wrk(self.root, f"http://127.0.0.1:{self.nginx.port}/", EVENT, 32, self.seconds)
        self.record("raw_wrk_per_s", result["ok"] / result["seconds"])
        log("raw: Wirehook's HTTPSender straight to nginx (64 in flight, 48 connections)")
        output = subprocess.run(
            [os.path.join(self.bin, "wirehook-bench"), "same-client", "--url", f"http://127.0.0.1:{self.nginx.port}/",
             "--concurrency", "64", "--connections", "48", "--seconds", str(self.seconds)],
            capture_output=True, text=True, check=True,
        ).stdout
        same = json.loads(output.strip().splitlines()[-1])
        self.record("raw_same_client_per_s", same["rate"])
        if same["failed"]:
            log(f"same-client: {same['failed']} failed ({same.get('first_error')})")
        log("raw: a minimal keep-alive client on SwiftNIO's HTTP/1 codec straight to nginx (48 connections)")
        output = subprocess.run(
            [os.path.join(self.bin, "wirehook-bench"), "same-client", "--lean", "--url",
             f"http://127.0.0.1:{self.nginx.port}/", "--concurrency", "64", "--connections", "48",
             "--seconds", str(self.seconds)],
            capture_output=True, text=True, check=True,
        ).stdout
        lean = json.loads(output.strip().splitlines()[-1])
        self.record("raw_lean_client_per_s", lean["rate"])

    def end_to_end(self):
        log("end to end on SQLite: single events at 32 connections, 4 endpoints on nginx")
        server = self.server("e2e-sqlite")
        try:
            server.add_endpoints(self.nginx.port)
            started = time.monotonic()
            result = wrk(self.root, server.url + "/events", EVENT, 32, self.seconds)
            accepted = server.accepted()
            expected = server.created()
            self.record("ingest_single_per_s", accepted / result["seconds"])
            done = wait_delivered([server], expected, 600)
            if done is None:
                raise RuntimeError(f"only {server.delivered()} of {expected} deliveries recorded in 10 minutes")
            rate = expected / (done - started)
            self.record("e2e_sqlite_deliveries", expected)
            self.record("e2e_sqlite_per_s", rate)
            if "raw_wrk_per_s" in self.results:
                self.record("e2e_ratio_wrk", rate / self.results["raw_wrk_per_s"])
                self.record("e2e_ratio_same_client", rate / self.results["raw_same_client_per_s"])
            self.record("rss_after_e2e_mb", server.peak_rss_mb())
        finally:
            server.stop()

    def ingest_batched(self):
        log("ingest: 1,000-event requests at 4 connections, 4 endpoints subscribed")
        server = self.server("ingest-batched")
        try:
            server.add_endpoints(self.nginx.port)
            result = wrk(self.root, server.url + "/events", batch_body(1000), 4, self.seconds)
            self.record("ingest_batched_per_s", server.accepted() / result["seconds"])
        finally:
            server.stop()

    def latency(self):
        log(f"latency: {self.latency_rate} events/s for {self.latency_seconds} s, 202 to receiver's answer")
        server = self.server("latency")
        try:
            output = subprocess.run(
                [os.path.join(self.bin, "wirehook-bench"), "latency", "--server", server.url, "--token", TOKEN,
                 "--rate", str(self.latency_rate), "--seconds", str(self.latency_seconds)],
                capture_output=True, text=True, check=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            self.record("latency_rate_per_s", self.latency_rate)
            self.record("latency_delivered", figures["delivered"])
            self.record("latency_p50_ms", figures["p50_ms"])
            self.record("latency_p99_ms", figures["p99_ms"])
            self.record("latency_p999_ms", figures["p999_ms"])
        finally:
            server.stop()

    def fill_backlog(self, name, events):
        """A server whose 4 endpoints point at a port that accepts and never answers, filled with
        `events` × 4 pending deliveries, then killed: the rows stay pending for the next start."""
        hold_port = free_port()
        hold = socket.socket()
        hold.bind(("127.0.0.1", hold_port))
        hold.listen(4096)
        server = self.server(name, {"WIREHOOK_TIMEOUT": "1h", "WIREHOOK_BREAKER_THRESHOLD": "0"})
        try:
            server.add_endpoints(hold_port)
            body = batch_body(1000)
            batches, rest = divmod(events, 1000)
            for _ in range(batches):
                server.request("POST", "/events", json.loads(body))
            if rest:
                server.request("POST", "/events", json.loads(batch_body(rest)))
            list_ms = self.webhook_list_ms(server)
        finally:
            server.stop(kill=True)
            hold.close()
        return hold_port, list_ms

    @staticmethod
    def webhook_list_ms(server, requests=21):
        """Median time of `GET /webhooks`, which shows each endpoint's delivery figures."""
        times = []
        for _ in range(requests):
            started = time.monotonic()
            server.request("GET", "/webhooks")
            times.append((time.monotonic() - started) * 1000)
        return sorted(times)[len(times) // 2]

    def drain(self, name, hold_port, expected, window):
        """Restarts a filled server with nginx on the held port; returns start-up, rate, peak RSS."""
        receiver = Nginx(self.root, hold_port)
        try:
            server = self.server(name)
            try:
                started = time.monotonic()
                deadline = started + window
                delivered = 0.0
                while time.monotonic() < deadline:
                    delivered = server.delivered()
                    if delivered >= expected:
                        break
                    time.sleep(0.05)
                elapsed = time.monotonic() - started
                return server.startup_seconds, delivered / elapsed, server.peak_rss_mb()
            finally:
                server.stop()
        finally:
            receiver.stop()

    def backlog(self):
        log(f"backlog: baseline of {self.baseline_events * 4} pending deliveries")
        port, small_list_ms = self.fill_backlog("backlog-small", self.baseline_events)
        startup, rate, _ = self.drain("backlog-small", port, self.baseline_events * 4, 600)
        self.record("backlog_small_pending", self.baseline_events * 4)
        self.record("backlog_small_per_s", rate)
        self.record("startup_empty_s", startup)
        self.record("webhooks_list_small_ms", small_list_ms)
        log(f"backlog: {self.backlog_events * 4} pending deliveries (filling takes a while)")
        port, big_list_ms = self.fill_backlog("backlog-big", self.backlog_events)
        self.record("webhooks_list_big_ms", big_list_ms)
        self.record("webhooks_list_ratio", big_list_ms / small_list_ms)
        startup, rate, rss = self.drain("backlog-big", port, self.backlog_events * 4, self.backlog_window)
        self.record("backlog_pending", self.backlog_events * 4)
        self.record("backlog_per_s", rate)
        self.record("backlog_ratio", rate / self.results["backlog_small_per_s"])
        self.record("backlog_peak_rss_mb", rss)
        self.record("backlog_startup_s", startup)

    def postgres(self):
        pg_bin = sorted(
            (d for d in (f"/usr/lib/postgresql/{v}/bin" for v in os.listdir("/usr/lib/postgresql"))
             if os.path.exists(os.path.join(d, "initdb"))),
        )[-1] if os.path.isdir("/usr/lib/postgresql") else None
        if not pg_bin:
            log("PostgreSQL is not installed; skipping its figures")
            self.record("pg_skipped", True)
            return
        # A directory of its own: the bench's temporary directory is private to root, and initdb
        # runs as postgres.
        root = tempfile.mkdtemp(prefix="wirehook-bench-pg.")
        as_pg = []
        if os.getuid() == 0:
            subprocess.run("id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres", shell=True)
            shutil.chown(root, "postgres")
            as_pg = ["runuser", "-u", "postgres", "--"]
        port = free_port()
        # --pg-statements: where PostgreSQL's time goes, per statement, planning apart (profiling aid).
        statements_options = (" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
                              if self.args.pg_statements else "")
        subprocess.run(as_pg + [f"{pg_bin}/initdb", "-D", f"{root}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                       check=True, stdout=subprocess.DEVNULL)
        # Durable settings (fsync and synchronous_commit on, as shipped): the figure is a real one.
        subprocess.run(as_pg + [f"{pg_bin}/pg_ctl", "-D", f"{root}/data", "-l", f"{root}/server.log", "-w", "-o",
                                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                                "-c shared_buffers=256MB" + statements_options, "start"], check=True,
                                stdout=subprocess.DEVNULL)
        try:
            subprocess.run(as_pg + [f"{pg_bin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                    "bench_claim"], check=True)
            log(f"claims on PostgreSQL with {self.claim_backlog:,} deliveries due on one endpoint at its cap")
            result = self.claim_backlog_run(
                "postgres", ("--database-url", f"postgres://postgres@127.0.0.1:{port}/bench_claim"))
            self.record("claim_pg_p50_ms", result["p50_ms"])
            self.record("claim_pg_p99_ms", result["p99_ms"])
            subprocess.run(as_pg + [f"{pg_bin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                    "bench_claim_empty"], check=True)
            empty = self.claim_backlog_run(
                "postgres", ("--database-url", f"postgres://postgres@127.0.0.1:{port}/bench_claim_empty"), backlog=0)
            self.record("claim_pg_empty_p50_ms", empty["p50_ms"])
            self.record("claim_pg_ratio", result["p50_ms"] / empty["p50_ms"] if empty["p50_ms"] else 0)
            for processes in (1, 2):
                database = f"bench_{processes}"
                subprocess.run(as_pg + [f"{pg_bin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                        database], check=True)
                url = f"postgres://postgres@127.0.0.1:{port}/{database}"
                if self.args.pg_statements:
                    subprocess.run(["psql", url, "-qc", "CREATE EXTENSION pg_stat_statements",
                                    "-c", "SELECT pg_stat_statements_reset()"], check=True, stdout=subprocess.DEVNULL)
                log(f"end to end on PostgreSQL with {processes} process(es)")
                servers = [self.server(f"pg-{processes}-{n}", {"WIREHOOK_DATABASE_URL": url}) for n in range(processes)]
                try:
                    servers[0].add_endpoints(self.nginx.port)
                    started = time.monotonic()
                    results = [None] * processes

                    def load(n):
                        results[n] = wrk(self.root, servers[n].url + "/events", EVENT, 32 // processes, self.seconds)

                    threads = [threading.Thread(target=load, args=(n,)) for n in range(processes)]
                    for t in threads:
                        t.start()
                    for t in threads:
                        t.join()
                    expected = sum(s.created() for s in servers)
                    done = wait_delivered(servers, expected, 600)
                    if done is None:
                        raise RuntimeError(f"PostgreSQL: deliveries not recorded in 10 minutes")
                    self.record(f"pg_{processes}_deliveries", expected)
                    self.record(f"pg_{processes}_per_s", expected / (done - started))
                    if self.args.pg_statements:
                        print(subprocess.run(
                            ["psql", url, "-c",
                             "SELECT calls, round(total_plan_time) AS plan_ms, round(total_exec_time) AS exec_ms, "
                             "regexp_replace(left(query, 100), '\\s+', ' ', 'g') AS statement FROM pg_stat_statements "
                             "ORDER BY total_plan_time + total_exec_time DESC LIMIT 15"],
                            capture_output=True, text=True).stdout, file=sys.stderr)
                finally:
                    for s in servers:
                        s.stop()
            # Retention must remove a day as fast as a day arrives, or the tables grow for ever.
            subprocess.run(as_pg + [f"{pg_bin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                    "bench_retention"], check=True)
            count = 2_000 if self.smoke else 100_000
            log(f"retention on PostgreSQL: {count:,} finished deliveries row by row, then a day of them dropped")
            output = subprocess.run(
                [os.path.join(self.bin, "wirehook-bench"), "retention", "--deliveries", str(count),
                 "--database-url", f"postgres://postgres@127.0.0.1:{port}/bench_retention"],
                capture_output=True, text=True, check=True,
            ).stdout
            retention = json.loads(output.strip().splitlines()[-1])
            self.record("retention_rows", count)
            self.record("retention_row_by_row_per_s", retention["row_by_row_per_s"])
            self.record("retention_drop_per_s", retention["drop_per_s"])
            if self.results.get("pg_2_per_s"):
                self.record("retention_drop_ratio", retention["drop_per_s"] / self.results["pg_2_per_s"])
        finally:
            subprocess.run(as_pg + [f"{pg_bin}/pg_ctl", "-D", f"{root}/data", "-m", "immediate", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.rmtree(root, ignore_errors=True)

    def run(self):
        self.nginx = Nginx(self.root, free_port())
        phases = [
            ("raw", self.raw), ("e2e", self.end_to_end), ("batched", self.ingest_batched), ("latency", self.latency),
            ("backlog", self.backlog), ("claims", self.claims), ("postgres", self.postgres),
        ]
        only = set(self.args.only.split(",")) if self.args.only else None
        try:
            for name, phase in phases:
                if only is not None and name not in only:
                    continue
                if name == "postgres" and self.args.skip_postgres:
                    continue
                phase()
        finally:
            self.nginx.stop()
            if not self.args.keep:
                shutil.rmtree(self.root, ignore_errors=True)


# (key, label, unit, target text, check)
ROWS = [
    ("raw_wrk_per_s", "raw: wrk → nginx (32 connections)", "POSTs/s", "", None),
    ("raw_same_client_per_s", "raw: HTTPSender → nginx (64 in flight)", "POSTs/s", "", None),
    ("raw_lean_client_per_s", "raw: minimal NIO HTTP/1 client → nginx (48 connections; not Wirehook's sender)", "POSTs/s",
     "", None),
    ("e2e_sqlite_per_s", "end to end, SQLite, 4 endpoints", "deliveries/s", "≥ 20,000", lambda v, r: v >= 20_000),
    ("e2e_ratio_wrk", "  ratio to wrk raw", "×", "≥ 0.2", lambda v, r: v >= 0.2),
    ("e2e_ratio_same_client", "  ratio to same-client raw", "×", "≥ 0.6", lambda v, r: v >= 0.6),
    ("ingest_single_per_s", "ingest, 1 event/request, 32 connections", "events/s", "≥ 20,000", lambda v, r: v >= 20_000),
    ("ingest_batched_per_s", "ingest, 1,000 events/request, 4 connections", "events/s", "≥ 100,000",
     lambda v, r: v >= 100_000),
    ("latency_p50_ms", "latency 202 → receiver, p50", "ms", "", None),
    ("latency_p99_ms", "latency 202 → receiver, p99", "ms", "≤ 10", lambda v, r: v <= 10),
    ("latency_p999_ms", "latency 202 → receiver, p99.9", "ms", "", None),
    ("backlog_small_per_s", "drain rate, small backlog", "deliveries/s", "", None),
    ("backlog_per_s", "drain rate, big backlog", "deliveries/s", "", None),
    ("backlog_ratio", "  big / small", "×", "≥ 0.9", lambda v, r: v >= 0.9),
    ("backlog_peak_rss_mb", "peak RSS, big backlog", "MB", "≤ 250", lambda v, r: v <= 250),
    ("backlog_startup_s", "start-up to listening, big backlog", "s", "≤ 0.5", lambda v, r: v <= 0.5),
    ("startup_empty_s", "start-up to listening, small backlog", "s", "", None),
    ("webhooks_list_small_ms", "GET /webhooks (4 endpoints' figures), small backlog, median", "ms", "", None),
    ("webhooks_list_big_ms", "  the same with the big backlog", "ms", "", None),
    ("webhooks_list_ratio", "  big / small", "×", "≈ 1 (counters)", None),
    ("claim_backlog_rows", "due rows of one capped endpoint, ahead of the others' work", "rows", "", None),
    ("claim_sqlite_p50_ms", "  claim of 64 with that backlog, SQLite, p50", "ms", "< 1",
     lambda v, r: v < 1),
    ("claim_sqlite_p99_ms", "  p99", "ms", "", None),
    ("claim_sqlite_empty_p50_ms", "  the same claims with no backlog, p50", "ms", "", None),
    ("claim_sqlite_ratio", "  with backlog / without", "×", "≈ 1", None),
    ("claim_pg_p50_ms", "the same on PostgreSQL, p50", "ms", "< 1", lambda v, r: v < 1),
    ("claim_pg_p99_ms", "  p99", "ms", "", None),
    ("claim_pg_empty_p50_ms", "  the same claims with no backlog, p50", "ms", "", None),
    ("claim_pg_ratio", "  with backlog / without", "×", "≈ 1", None),
    ("pg_1_per_s", "end to end, PostgreSQL, 1 process", "deliveries/s", "", None),
    ("pg_2_per_s", "end to end, PostgreSQL, 2 processes", "deliveries/s", "≥ 10,000", lambda v, r: v >= 10_000),
    ("retention_rows", "retention, PostgreSQL: finished deliveries removed each way", "rows", "", None),
    ("retention_row_by_row_per_s", "  row by row (a day a pending delivery holds; every day before partitions)",
     "deliveries/s", "", None),
    ("retention_drop_per_s", "  a whole day dropped (its four partitions)", "deliveries/s", "", None),
    ("retention_drop_ratio", "  dropping / end to end with 2 processes", "×", "≥ 1 (keeps up)", lambda v, r: v >= 1),
]


def number(value):
    if isinstance(value, float) and value < 100:
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return f"{value:,.0f}"


def table(results):
    lines = ["| measurement | figure | unit | target | met |", "| --- | ---: | --- | --- | --- |"]
    for key, label, unit, target, check in ROWS:
        if key not in results:
            lines.append(f"| {label} | not measured | {unit} | {target} | |")
            continue
        value = results[key]
        met = ("yes" if check(value, results) else "no") if check else ""
        lines.append(f"| {label} | {number(value)} | {unit} | {target} | {met} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--build", default="release")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--only", help="comma-separated phases: raw,e2e,batched,latency,backlog,claims,postgres")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory with logs")
    parser.add_argument("--pg-statements", action="store_true",
                        help="with the postgres phase: print where PostgreSQL's time went, per statement")
    parser.add_argument("--out", default=".build/bench/results.json")
    args = parser.parse_args()
    bench = Bench(args)
    bench.run()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "build": args.build,
        "smoke": args.smoke,
        "machine": f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}",
        # The machine may be shared: a load average well above the core count makes every figure lower.
        "load_average": " ".join(open("/proc/loadavg").read().split()[:3]),
    }
    print()
    print(f"Wirehook benchmark · {meta['date']} · commit {commit} · {args.build} build"
          + (" · SMOKE (small counts; figures mean nothing)" if args.smoke else ""))
    print(f"Machine: {meta['machine']} · load average {meta['load_average']}")
    print()
    print(table(bench.results))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"meta": meta, "results": bench.results}, f, indent=2)
    print(f"\nJSON: {args.out}")
    missing = [key for key, *_ in ROWS if key not in bench.results and not key.startswith("pg_")]
    if missing and not args.only:
        print(f"missing figures: {', '.join(missing)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
