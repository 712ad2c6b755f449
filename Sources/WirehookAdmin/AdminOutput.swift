import Foundation
import WirehookCore

/// Where an admin command's answer goes: the server's JSON for scripts, text for people.
public struct AdminOutput: Sendable {
    public let json: Bool
    public let palette: Palette

    public init(json: Bool, palette: Palette = .automatic()) {
        self.json = json
        // JSON is for programs: never coloured, whatever the terminal.
        self.palette = json ? Palette(enabled: false) : palette
    }

    /// Prints `answer` as JSON with `--json`, else what `human` makes of it.
    public func show(_ answer: JSONValue, human: (Palette) -> String) {
        line(json ? JSONWriter.string(answer) : human(palette))
    }

    /// A line for people only; `--json` output stays one document.
    public func note(_ text: String) {
        if json {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            line(text)
        }
    }

    public func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// The server's message on standard error; with `--json`, the error as JSON on standard output too.
    public func report(_ error: AdminError) {
        let prefix = Palette.automatic(isTerminal: isatty(STDERR_FILENO) == 1).paint("wirehook:", .bad)
        FileHandle.standardError.write(Data("\(prefix) \(Display.printable(error.message))\n".utf8))
        // A failed outcome already printed its answer: --json output stays one document.
        guard json, error.code != .failed else { return }
        var details: [JSONMember] = []
        switch error.code {
        case .rejected(let status, let code):
            details.append(JSONMember("code", .string(code ?? "http_\(status)")))
            details.append(JSONMember("status", .int(status)))
        case .unreachable, .badAnswer: details.append(JSONMember("code", "unreachable"))
        case .local: details.append(JSONMember("code", "usage"))
        case .failed: break
        }
        details.append(JSONMember("message", .string(error.message)))
        line(JSONWriter.string(["success": false, "error": .object(details)]))
    }
}
