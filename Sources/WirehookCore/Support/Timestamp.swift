#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import struct Foundation.Date

/// ISO 8601 / RFC 3339 formatting and parsing for the timestamps webhooks carry.
public enum Timestamp {
    /// `2026-01-15T10:00:00.000Z`: UTC with milliseconds, as JavaScript's `toISOString` writes it.
    public static func iso8601(_ date: Date) -> String {
        // Inputs are checked against `validSeconds` at the edges; clamping here keeps a date that
        // slipped past (a stored row, a test clock) to four positive year digits, so `pad` below
        // never sees a negative or five-digit year.
        let totalMs = min(max(milliseconds(date), 0), Int64(validSeconds.upperBound) * 1000 + 999)
        var seconds = time_t(totalMs >= 0 ? totalMs / 1000 : (totalMs - 999) / 1000)
        let ms = Int(totalMs - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func pad(_ value: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var v = max(value, 0)
            for i in stride(from: width - 1, through: 0, by: -1) {
                digits[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            out += digits
        }
        pad(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-"))
        pad(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-"))
        pad(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T"))
        pad(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":"))
        pad(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":"))
        pad(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        pad(ms, 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses RFC 3339 (`2026-01-15T10:00:00Z`, fractions, `+02:00` offsets; a space may replace `T`).
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 19, b.count <= 40 else { return nil }
        func num(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var v = 0
            for i in start..<(start + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = num(0, 4), b[4] == UInt8(ascii: "-"), let month = num(5, 2), b[7] == UInt8(ascii: "-"),
            let day = num(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 0x20,
            let hour = num(11, 2), b[13] == UInt8(ascii: ":"), let minute = num(14, 2), b[16] == UInt8(ascii: ":"),
            let second = num(17, 2)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard year >= 1970, (1...12).contains(month), (1...monthDays[month - 1]).contains(day), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2)
            else { return nil }
            guard oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let epoch = timegm(&parts)
        return Date(timeIntervalSince1970: Double(epoch - offset) + fraction)
    }

    /// Unix times Wirehook accepts: 1970 up to the end of year 9999.
    public static let validSeconds: ClosedRange<Double> = 0...253_402_300_799

    /// Total, so no date can trap the conversion; inputs are checked against `validSeconds` at
    /// the edges, this only guards what slipped past.
    public static func milliseconds(_ date: Date) -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard ms.isFinite else { return 0 }
        return Int64(saturating: ms)
    }

    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    public static let millisecondsPerDay: Int64 = 86_400_000

    /// Days since 1970 of a millisecond timestamp, in UTC (rounded down, before 1970 too).
    public static func day(ofMilliseconds ms: Int64) -> Int64 {
        ms >= 0 ? ms / millisecondsPerDay : (ms + 1) / millisecondsPerDay - 1
    }
}
