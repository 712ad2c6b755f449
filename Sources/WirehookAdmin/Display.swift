import Foundation
import WirehookCore

/// How values from the API read in a table cell.
public enum Display {
    /// Control characters (escape sequences among them) replaced by spaces: a value from the
    /// server must not move the cursor or recolour the terminal.
    public static func printable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(scalars)
    }

    /// A JSON value as short text: strings bare, null as `-`, anything else compact JSON.
    public static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "-"
        case .string(let text)?: return text.isEmpty ? "-" : text
        case .number(let number)?: return number
        case .bool(let flag)?: return flag ? "yes" : "no"
        case .array(let items)?: return items.map { text($0) }.joined(separator: ",")
        case let other?: return JSONWriter.string(other)
        }
    }

    /// An ISO time from the API as `2026-11-28 18:00:00` (UTC), or `-`.
    public static func time(_ value: JSONValue?) -> String {
        guard let text = value?.stringValue, let date = Timestamp.parse(text) else { return "-" }
        return clock(date, withDate: true)
    }

    /// `18:00:00.123` or `2026-11-28 18:00:00`, in UTC like the API.
    public static func clock(_ date: Date, withDate: Bool) -> String {
        let iso = Timestamp.iso8601(date)  // 2026-11-28T18:00:00.123Z
        let day = iso.prefix(10)
        let rest = iso.dropFirst(11).dropLast()
        return withDate ? "\(day) \(rest.prefix(8))" : String(rest.prefix(12))
    }

    /// Milliseconds as `12ms` or `1.4s`.
    public static func latency(_ milliseconds: Int?) -> String {
        guard let milliseconds else { return "-" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let tenths = milliseconds / 100
        return "\(tenths / 10).\(tenths % 10)s"
    }

    /// `key: value` lines with the values aligned, for one object (`show` commands).
    public static func details(_ pairs: [(String, String)], palette: Palette) -> String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { key, value in
            let label = key + ":" + String(repeating: " ", count: width - key.count)
            let tone = Palette.tone(forOutcome: value)
            return palette.paint(label, .bold) + " " + (tone.map { palette.paint(printable(value), $0) } ?? printable(value))
        }.joined(separator: "\n")
    }
}
