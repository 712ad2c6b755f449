import Foundation
import WirehookCore

/// How log lines are written: `text` for people, `json` or `logfmt` for log collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json, logfmt

    /// Text at a terminal, JSON anywhere else (journald, docker logs, files), unless told.
    public static func resolve(
        flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        isTerminal: Bool = isatty(STDERR_FILENO) == 1
    ) throws(ConfigurationError) -> LogFormat {
        let given = flag ?? environment["WIREHOOK_LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 }
        guard let given else { return isTerminal ? .text : .json }
        guard let format = LogFormat(rawValue: given.lowercased()) else {
            throw ConfigurationError("log format '\(given)' must be json, logfmt or text (--log-format, WIREHOOK_LOG_FORMAT)")
        }
        return format
    }
}
