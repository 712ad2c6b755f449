import Foundation

/// Colours for people at a terminal, and none anywhere else.
///
/// On only when standard output is a terminal, `NO_COLOR` is unset or empty (no-color.org) and
/// `TERM` is not `dumb`; pipes, files and CI logs get plain text.
public struct Palette: Sendable {
    public enum Tone: Sendable {
        case good, bad, warning, dim, bold
    }

    public let enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    public static func automatic(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        isTerminal: Bool = isatty(STDOUT_FILENO) == 1
    ) -> Palette {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Palette(enabled: isTerminal && !noColor && environment["TERM"] != "dumb")
    }

    public func paint(_ text: String, _ tone: Tone) -> String {
        guard enabled, !text.isEmpty else { return text }
        let code: String
        switch tone {
        case .good: code = "32"
        case .bad: code = "31"
        case .warning: code = "33"
        case .dim: code = "2"
        case .bold: code = "1"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// The tone a delivery or attempt outcome is shown in.
    public static func tone(forOutcome outcome: String) -> Tone? {
        switch outcome {
        case "success", "healthy", "active", "ok", "ready": return .good
        case "failure", "failed", "failing", "disabled", "fail": return .bad
        case "pending", "paused", "warn", "skipped": return .warning
        default: return nil
        }
    }
}
