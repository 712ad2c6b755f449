import Foundation

/// Sends bytes no well-behaved HTTP client would, and returns the status line the server answered
/// (or "no answer"). Python's socket module does the talking, so nothing tidies the request up.
enum RawHTTP {
    static func statusLine(port: Int, request: String, timeout: Double = 5) throws -> String {
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(port), String(timeout)]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(request.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
