import Foundation

/// A PostgreSQL cluster of the test's own, in a temporary directory on a free port, so stopping
/// it (SIGSTOP) disturbs no other test. Started and stopped the way scripts/test does it.
final class ThrowawayPostgres: Sendable {
    let root: String
    let port: Int
    let bin: String

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }
    var dataDirectory: String { root + "/data" }

    private init(root: String, port: Int, bin: String) {
        self.root = root
        self.port = port
        self.bin = bin
    }

    static var isRoot: Bool { getuid() == 0 }

    static func binDirectory() throws -> String {
        let base = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw TestFailure("no PostgreSQL under \(base): install the postgresql package (scripts/test does)")
        }
        return "\(base)/\(newest)/bin"
    }

    /// Runs `body` with a fresh cluster and always stops it afterwards, resuming it first in case
    /// the test left it stopped.
    static func with<T>(_ body: (ThrowawayPostgres) async throws -> T) async throws -> T {
        let cluster = try await start()
        do {
            let result = try await body(cluster)
            await cluster.destroy()
            return result
        } catch {
            await cluster.destroy()
            throw error
        }
    }

    static func start() async throws -> ThrowawayPostgres {
        let bin = try binDirectory()
        // scripts/test names a directory it cleans up even when this process is killed.
        let parent = ProcessInfo.processInfo.environment["WIREHOOK_TEST_PG_ROOT"] ?? NSTemporaryDirectory()
        let root = (parent as NSString).appendingPathComponent("wirehook-pg-" + UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if isRoot {
            // initdb refuses to run as root, so the cluster belongs to the postgres user.
            _ = try await ChildProcess.run("/usr/bin/env", ["chown", "postgres", root])
        }
        let port = try freePort()
        let cluster = ThrowawayPostgres(root: root, port: port, bin: bin)
        let initdb = try await cluster.asPostgres(
            "\(bin)/initdb", ["-D", cluster.dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        guard initdb.status == 0 else { throw TestFailure("initdb failed: \(initdb.output)") }
        // The postmaster runs as a child of this process rather than through `pg_ctl start`, whose
        // wait for the server never returns under Foundation's Process here.
        try cluster.launch(
            "\(bin)/postgres",
            [
                "-D", cluster.dataDirectory, "-p", String(port), "-k", root, "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off",
            ])
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let status = (try? String(contentsOfFile: cluster.dataDirectory + "/postmaster.pid", encoding: .utf8)) ?? ""
            if status.contains("ready") { return cluster }
            try await Task.sleep(for: .milliseconds(100))
        }
        await cluster.destroy()
        throw TestFailure(
            "PostgreSQL did not start: \((try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? "")")
    }

    /// The postmaster and every process it started (backends, checkpointer, WAL writer, …).
    func processIDs() throws -> [Int32] {
        let pidFile = try String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8)
        guard let postmaster = pidFile.split(separator: "\n").first.flatMap({ Int32($0) }) else {
            throw TestFailure("no pid in postmaster.pid")
        }
        var ids = [postmaster]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after the command name: state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == postmaster { ids.append(pid) }
        }
        return ids
    }

    /// SIGSTOP to every process of the cluster: connections stay open and nothing answers.
    func stop() throws {
        for pid in try processIDs() { kill(pid, SIGSTOP) }
    }

    /// SIGCONT to every process of the cluster.
    func resume() {
        for pid in (try? processIDs()) ?? [] { kill(pid, SIGCONT) }
    }

    func destroy() async {
        resume()
        _ = try? await asPostgres("\(bin)/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: root)
    }

    private func launch(_ program: String, _ arguments: [String]) throws {
        let log = root + "/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        if Self.isRoot {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", program] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    private func asPostgres(_ program: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        if Self.isRoot {
            return try await ChildProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments)
        }
        return try await ChildProcess.run(program, arguments)
    }

    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
