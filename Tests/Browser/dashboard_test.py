#!/usr/bin/env python3
"""Drives the dashboard in headless Chromium against the real `wirehook` binary and a real receiver.

Run by scripts/test (needs WIREHOOK_BIN). Every page visited is checked for JavaScript console
errors and for axe accessibility violations, and photographed at desktop and phone widths under
.build/screenshots/. Exits non-zero with a message naming the step that failed.
"""
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from axe_selenium_python import Axe

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHOTS = os.path.join(ROOT, ".build", "screenshots")
TOKEN = "browser-test-admin-token-0123456789"
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """A webhook receiver that answers 200, or 500 while `failing` is set."""

    def __init__(self):
        self.failing = False
        self.requests = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append((dict(self.headers), body))
                status = 500 if receiver.failing else 200
                answer = b'{"error":"receiver is down"}' if receiver.failing else b'{"ok":true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class Server:
    """The real binary, on a free port with a throwaway data directory."""

    def __init__(self, binary):
        self.data = tempfile.mkdtemp(prefix="wirehook-browser-")
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        env = dict(os.environ)
        env.update({
            "WIREHOOK_DATA_DIR": self.data,
            "WIREHOOK_PORT": str(self.port),
            "WIREHOOK_HOST": "127.0.0.1",
            "WIREHOOK_ADMIN_TOKEN": TOKEN,
            "WIREHOOK_ALLOW_PRIVATE_TARGETS": "true",
            # One quick retry, so a failing receiver ends deliveries as failed within a second.
            "WIREHOOK_RETRY_SCHEDULE": "300ms",
            "WIREHOOK_BREAKER_THRESHOLD": "1000",
            "WIREHOOK_LOG_LEVEL": "warning",
        })
        env.pop("WIREHOOK_DATABASE_URL", None)
        if os.environ.get("WIREHOOK_TEST_DATABASE_URL"):
            env["WIREHOOK_DATABASE_URL"] = os.environ["WIREHOOK_TEST_DATABASE_URL"]
        self.log = open(os.path.join(self.data, "server.log"), "wb")
        self.process = subprocess.Popen([binary, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise Failure("wirehook serve exited with %s; log:\n%s" % (self.process.returncode, self.read_log()))
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise Failure("wirehook serve did not answer /health within 60 s; log:\n" + self.read_log())

    def read_log(self):
        self.log.flush()
        with open(os.path.join(self.data, "server.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.data, ignore_errors=True)


class Browser:
    def __init__(self, base):
        self.base = base
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,900", "--disable-extensions", "--no-first-run"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        self.checked = []

    def open(self, path):
        self.driver.get(self.base + path)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def text(self):
        return self.find("body").text

    def expect_text(self, needle, step, timeout=10):
        deadline = time.time() + timeout
        body = ""
        while time.time() < deadline:
            try:
                body = self.text()
            except StaleElementReferenceException:
                continue
            if needle in body:
                return
            time.sleep(0.2)
        raise Failure("%s: expected %r on %s; the page says:\n%s" % (step, needle, self.driver.current_url, body[:2000]))

    def submit(self, form_css):
        """Presses the form's button and waits for the next page to replace this one."""
        old = self.find("html")
        self.find(form_css + " button[type=submit]").click()
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                old.tag_name
            except WebDriverException:
                # The old page is gone (Chromium reports it stale or as a foreign node).
                break
            time.sleep(0.1)
        else:
            raise Failure("submitting %s: no new page within 20 s" % form_css)
        WebDriverWait(self.driver, 20).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete")

    def drain_expected_status(self, status, step):
        """A page answered with an error status on purpose (a wrong token, a refused form): Chromium
        logs that as a failed load; anything else logged meanwhile is still an error."""
        entries = [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]
        unexpected = [e for e in entries if not (e.get("source") == "network" and "status of %d" % status in e["message"])]
        if unexpected:
            raise Failure("%s: JavaScript console errors: %s" % (step, json.dumps(unexpected, indent=1)))

    def check_page(self, name):
        """No console errors, no axe violations, no outside hosts; desktop and phone screenshots."""
        errors = [entry for entry in self.driver.get_log("browser") if entry.get("level") == "SEVERE"]
        if errors:
            raise Failure("%s: JavaScript console errors: %s" % (name, json.dumps(errors, indent=1)))
        source = self.driver.page_source
        for attribute in re.findall(r'(?:src|href|action)="([^"]*)"', source):
            if re.match(r"^(https?:)?//", attribute):
                raise Failure("%s: the page references another host: %s" % (name, attribute))
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        violations = results.get("violations", [])
        if violations:
            summary = "\n".join(
                "  %s (%s): %s — %s" % (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
                for v in violations)
            raise Failure("%s: accessibility violations (axe):\n%s" % (name, summary))
        os.makedirs(SHOTS, exist_ok=True)
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.driver.save_screenshot(os.path.join(SHOTS, "%s-desktop.png" % name))
        self.driver.set_window_size(390, 844)
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.driver.save_screenshot(os.path.join(SHOTS, "%s-phone.png" % name))
        self.driver.set_window_size(1280, 900)
        self.checked.append(name)

    def quit(self):
        self.driver.quit()


def wait_for(condition, step, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise Failure("%s: not reached within %d s" % (step, timeout))


def headers_of(url):
    request = urllib.request.Request(url)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers


def run(binary):
    receiver = Receiver()
    server = Server(binary)
    browser = None
    try:
        # Security headers, checked on the raw response.
        headers = headers_of(server.base + "/ui/sign-in")
        csp = headers.get("Content-Security-Policy") or ""
        if "script-src 'self'" not in csp or "unsafe-inline" in csp:
            raise Failure("sign-in page: Content-Security-Policy is %r" % csp)
        if headers.get("X-Frame-Options") != "DENY" or not headers.get("Referrer-Policy"):
            raise Failure("sign-in page: missing X-Frame-Options or Referrer-Policy: %s" % dict(headers))

        browser = Browser(server.base)
        b = browser

        # Signed out, the dashboard sends to the sign-in form; a wrong token is refused.
        b.open("/")
        wait_for(lambda: "/ui/sign-in" in b.driver.current_url, "opening / while signed out")
        b.check_page("sign-in")
        b.find("#token").send_keys("wrong-token")
        b.submit("form[action$='/ui/sign-in']")
        b.expect_text("invalid admin token or API key", "wrong token")
        b.drain_expected_status(401, "wrong token")
        b.find("#token").send_keys(TOKEN)
        b.submit("form[action$='/ui/sign-in']")
        wait_for(lambda: b.driver.current_url.endswith("/ui/endpoints"), "signing in")
        cookie = b.driver.get_cookie("wirehook_session")
        if not cookie or not cookie.get("httpOnly") or cookie.get("sameSite") != "Strict":
            raise Failure("session cookie must be HttpOnly and SameSite=Strict: %s" % cookie)
        b.expect_text("No endpoints yet", "empty endpoint list")
        b.check_page("endpoints-empty")

        # New endpoint: a refused form shows the API's message beside the field.
        b.open("/ui/endpoints/new")
        b.check_page("endpoint-new")
        b.find("#description").send_keys("Support bot")
        b.find("input[name=events][value='user.*']").click()
        b.submit("form.endpoint-form")
        b.expect_text("'url' is required", "creating without a URL")
        b.drain_expected_status(422, "creating without a URL")
        if "url-error" not in b.driver.page_source:
            raise Failure("creating without a URL: the error is not beside the URL field")
        b.check_page("endpoint-form-error")
        b.find("#url").send_keys(receiver.url)
        b.submit("form.endpoint-form")
        b.expect_text("Endpoint created", "creating the endpoint")
        first_secret = b.find("#secret").text
        if not first_secret.startswith("whsec_") or "masked" in first_secret:
            raise Failure("creating the endpoint: the new secret is not shown: %r" % first_secret)
        edit = b.find("a[href$='/edit']").get_attribute("href")
        endpoint_path = edit[len(server.base):-len("/edit")]
        b.open(endpoint_path)
        if "masked" not in b.find("#secret").text:
            raise Failure("the secret is shown in full after the creation page")

        # A test event reaches the receiver and is logged as a success.
        b.find("#test-type").send_keys("webhook.test")
        b.submit("form[action$='/test']")
        b.expect_text("sent: delivery success (HTTP 200)", "sending a test event")
        if len(receiver.requests) != 1:
            raise Failure("sending a test event: the receiver got %d requests" % len(receiver.requests))
        b.check_page("endpoint")

        # The receiver fails: the failure and its attempts are shown.
        receiver.failing = True
        b.submit("form[action$='/test']")
        b.expect_text("(HTTP 500)", "a failing test event")
        wait_for(lambda: (b.open(endpoint_path + "?status=failed"), "failed" in b.text() and "No deliveries match" not in b.text())[1],
                 "the failed delivery in the log")
        b.find("table tbody tr td a").click()
        wait_for(lambda: "/deliveries/" in b.driver.current_url, "opening the failed delivery")
        b.expect_text("HTTP 500", "the attempt log")
        b.expect_text("receiver is down", "the start of the response")
        delivery_path = b.driver.current_url[len(server.base):]
        if "***masked***" not in b.driver.page_source:
            raise Failure("delivery page: the signature header is not masked")
        b.check_page("delivery-failed")

        # Two events sent by hand fail too.
        b.open("/ui/events")
        b.check_page("events")
        for _ in range(2):
            b.find("#send-type").clear()
            b.find("#send-type").send_keys("user.created")
            b.submit("form[action$='/ui/events']")
            b.expect_text("accepted: 1 delivery", "sending an event by hand")
        wait_for(lambda: (b.open(endpoint_path + "?status=failed"), b.text().count("user.created") >= 2)[1],
                 "the hand-sent events failing", timeout=20)

        # The receiver is back: retry one delivery, then recover the rest.
        receiver.failing = False
        b.open(delivery_path)
        b.submit("form[action$='/retry']")
        b.expect_text("Delivery queued again", "retrying one delivery")
        wait_for(lambda: (b.open(delivery_path), "200" in b.find("table tbody").text and "success" in b.text())[1],
                 "the retried delivery succeeding")
        b.check_page("delivery-retried")
        # The form's default is the last 24 hours, and failed deliveries.
        b.open(endpoint_path)
        b.submit("form[action$='/recover']")
        b.expect_text("2 deliveries queued again", "recovering the failed deliveries")
        wait_for(lambda: (b.open(endpoint_path + "?status=failed"), "No deliveries match" in b.text())[1],
                 "the recovered deliveries succeeding")

        # Disable and enable.
        b.open(endpoint_path)
        b.submit("form[action$='/disable']")
        b.expect_text("Endpoint disabled", "disabling")
        b.check_page("endpoint-disabled")
        b.submit("form[action$='/enable']")
        b.expect_text("Endpoint enabled", "enabling")
        b.open(endpoint_path)
        b.check_page("endpoint-history")

        # Rotate the secret; revealing shows a new one.
        b.submit("form[action$='/rotate-secret']")
        b.expect_text("Secret rotated", "rotating the secret")
        b.submit("form[action$='/reveal-secret']")
        revealed = b.find("#secret").text
        if not revealed.startswith("whsec_") or revealed == first_secret or "masked" in revealed:
            raise Failure("rotating the secret: revealed %r, first secret %r" % (revealed, first_secret))

        # The other pages.
        b.open(endpoint_path + "/edit")
        b.check_page("endpoint-edit")
        b.open("/ui/endpoints")
        b.expect_text("Support bot", "the endpoint list")
        b.check_page("endpoints")
        b.open("/ui/live")
        b.expect_text("user.created", "the live page")
        b.check_page("live")
        before = len(receiver.requests)
        # A delivery made elsewhere appears on the live page without a reload.
        b.open("/ui/live")
        api = urllib.request.Request(
            server.base + "/events", data=json.dumps({"type": "user.deleted", "data": {"username": "bob"}}).encode(),
            headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(api, timeout=10).read()
        wait_for(lambda: "user.deleted" in b.find("#live-rows").text, "the live page updating without a reload")
        if len(receiver.requests) <= before:
            raise Failure("the event sent through the API was not delivered")
        b.open(endpoint_path + "/delete")
        b.check_page("endpoint-delete")

        # Sign out; the dashboard refuses the old session.
        b.open("/ui/endpoints")
        b.submit("form.signout")
        b.expect_text("You are signed out", "signing out")
        b.open("/ui/endpoints")
        wait_for(lambda: "/ui/sign-in" in b.driver.current_url, "a signed-out visit")
        print("dashboard browser test: OK (%d pages checked: %s)" % (len(b.checked), ", ".join(b.checked)))
    except Failure:
        if browser:
            try:
                os.makedirs(SHOTS, exist_ok=True)
                browser.driver.save_screenshot(os.path.join(SHOTS, "failure.png"))
            except WebDriverException:
                pass
        print("server log (tail):\n" + server.read_log(), file=sys.stderr)
        raise
    finally:
        if browser:
            browser.quit()
        server.stop()
        receiver.stop()


def main():
    binary = os.environ.get("WIREHOOK_BIN")
    if not binary or not os.access(binary, os.X_OK):
        print("dashboard browser test: set WIREHOOK_BIN to the built wirehook binary", file=sys.stderr)
        return 2
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            print("dashboard browser test: %s is missing (apt-get install chromium chromium-driver)" % path,
                  file=sys.stderr)
            return 2
    try:
        run(binary)
    except Failure as failure:
        print("dashboard browser test FAILED: %s" % failure, file=sys.stderr)
        return 1
    except Exception:
        print("dashboard browser test FAILED with an unexpected error:", file=sys.stderr)
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
