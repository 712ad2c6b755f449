import struct Foundation.Date

/// Each panel's way of writing a time.
enum PanelTime {
    /// Remnawave's "never": the year-2099 date `remnawave/migrate` writes for a user without
    /// expiry; the panel itself treats any 2099 `expireAt` as no expiry (subscription headers).
    static let remnawaveNever = "2099-12-31T15:13:22.214Z"

    /// RFC 3339 with an offset, or Marzban's naive ISO time, which is UTC.
    static func parse(_ text: String) -> Date? {
        if let date = Timestamp.parse(text) { return date }
        return Timestamp.parse(text + "Z")
    }

    /// Remnawave: `toISOString()`, UTC with milliseconds.
    static func remnawave(_ date: Date) -> String { Timestamp.iso8601(date) }

    static func isRemnawaveNever(_ date: Date) -> Bool {
        // Year 2099 starts at 4070908800 and ends at 4102444800 (Unix seconds).
        (4_070_908_800..<4_102_444_800).contains(date.timeIntervalSince1970)
    }

    /// Marzban: Python's `datetime.isoformat()` of a naive UTC time: no offset, microseconds only
    /// when not zero.
    static func marzban(_ date: Date) -> String {
        let iso = Timestamp.iso8601(date)  // 2026-01-15T10:00:00.123Z
        let base = String(iso.prefix(19))
        let micros = microseconds(date)
        guard micros != 0 else { return base }
        return base + "." + pad(micros, 6)
    }

    /// Go's `time.RFC3339Nano` of the UTC time: trailing zeros of the fraction dropped, `Z`.
    static func go(_ date: Date) -> String {
        let base = String(Timestamp.iso8601(date).prefix(19))
        var fraction = pad(microseconds(date), 6)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return base + (fraction.isEmpty ? "" : "." + fraction) + "Z"
    }

    /// Whole Unix seconds (Marzban `expire`), saturating.
    static func unixSeconds(_ date: Date) -> Int64 {
        Int64(saturating: date.timeIntervalSince1970.rounded(.down))
    }

    static func microseconds(_ date: Date) -> Int {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else { return 0 }
        let fraction = seconds - seconds.rounded(.down)
        return min(max(Int((fraction * 1_000_000).rounded()), 0), 999_999)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(width - digits.count, 0)) + digits
    }
}
