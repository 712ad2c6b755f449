import Foundation
import Logging
import WirehookCore

/// One log record per line, as JSON or logfmt, for collectors (journald, Loki, CloudWatch).
///
/// Field names: `time` (ISO 8601, UTC), `level`, `msg`, `logger`, then the metadata with its
/// dotted keys (`endpoint.id`, `delivery.id`, `event.id`). Callers never pass secrets or bodies.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: LogFormat
    let write: @Sendable (String) -> Void

    public init(
        label: String, format: LogFormat, level: Logger.Level,
        write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data(line.utf8)) }
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        write(Self.render(format: format, time: Date(), level: level, message: "\(message)", label: label, metadata: merged))
    }

    /// One line, newline included; metadata keys sorted so lines compare and grep the same way.
    public static func render(
        format: LogFormat, time: Date, level: Logger.Level, message: String, label: String, metadata: Logger.Metadata
    ) -> String {
        var fields: [(String, String)] = [
            ("time", Timestamp.iso8601(time)), ("level", level.rawValue), ("msg", message), ("logger", label),
        ]
        for key in metadata.keys.sorted() where !["time", "level", "msg", "logger"].contains(key) {
            fields.append((key, text(metadata[key]!)))
        }
        switch format {
        case .json:
            return JSONWriter.string(.object(fields.map { JSONMember($0.0, .string($0.1)) })) + "\n"
        case .logfmt, .text:
            return fields.map { key, value in "\(key)=\(logfmtValue(value))" }.joined(separator: " ") + "\n"
        }
    }

    static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.keys.sorted().map { "\($0)=\(text(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// Bare when it is a plain token; otherwise quoted with `"`, `\` and control characters escaped.
    static func logfmtValue(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && scalar != "=" && scalar != "\"" && scalar != "\\"
        }
        if plain { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
