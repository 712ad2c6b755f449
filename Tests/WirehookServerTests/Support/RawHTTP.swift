import Foundation

/// Sends bytes no well-behaved HTTP client would, and returns the status line the server answered
/// (or "no answer"). Python's socket module does the talking, so nothing tidies the request up.
enum RawHTTP {
    static func statusLine(port: Int, request: String, timeout: Double = 5) async throws -> String {
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=float(sys.argv[2]))
            s.sendall(sys.stdin.buffer.read())
            try:
                data = s.recv(4096)
            except socket.timeout:
                data = b""
            line = data.split(b"\\r\\n", 1)[0].decode("latin-1")
            print(line or "no answer")
            """
        let output = try await ChildProcess.run(
            "/usr/bin/env", ["python3", "-c", script, String(port), String(timeout)], input: Array(request.utf8)
        ).output
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
