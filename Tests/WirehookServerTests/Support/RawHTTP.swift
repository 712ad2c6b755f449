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

    /// The whole answer (head and body, up to 64 KiB, read until the server closes or goes quiet).
    static func response(port: Int, request: [UInt8], timeout: Double = 5) async throws -> String {
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=float(sys.argv[2]))
            s.sendall(sys.stdin.buffer.read())
            data = b""
            try:
                while len(data) < 65536:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                    if b"\\r\\n\\r\\n" in data:
                        head, _, body = data.partition(b"\\r\\n\\r\\n")
                        length = [l for l in head.split(b"\\r\\n") if l.lower().startswith(b"content-length:")]
                        if length and len(body) >= int(length[0].split(b":", 1)[1]):
                            break
            except (socket.timeout, ConnectionResetError):
                pass
            sys.stdout.write(data.decode("latin-1") or "no answer")
            """
        return try await ChildProcess.run(
            "/usr/bin/env", ["python3", "-c", script, String(port), String(timeout)], input: request
        ).output
    }
}
