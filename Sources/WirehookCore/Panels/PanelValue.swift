import struct Foundation.Date

/// Typed reads of a panel's JSON fields that never trap and name the field when its type is wrong.
///
/// Absent and null read as nil (every panel omits or nulls optional fields); a present value of
/// the wrong type is a 422 naming the field, so a bad body is refused at ingest rather than
/// translated into nonsense.
enum PanelValue {
    static func string(_ value: JSONValue?, _ path: String) throws(WirehookError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalid("'\(path)' must be a string") }
        return text
    }

    /// A whole number, clamped to Int64 (panels send bytes as JSON numbers, sometimes `5.0`).
    static func integer(_ value: JSONValue?, _ path: String) throws(WirehookError) -> Int64? {
        guard let value, !value.isNull else { return nil }
        guard case .number(let literal) = value else { throw .invalid("'\(path)' must be a number") }
        if let exact = Int64(literal) { return exact }
        guard let double = Double(literal), double.isFinite else { throw .invalid("'\(path)' must be a finite number") }
        return Int64(saturating: double.rounded(.down))
    }

    /// Like `integer`, never negative: byte counters and limits.
    static func count(_ value: JSONValue?, _ path: String) throws(WirehookError) -> Int64? {
        try integer(value, path).map { max($0, 0) }
    }

    static func double(_ value: JSONValue?, _ path: String) throws(WirehookError) -> Double? {
        guard let value, !value.isNull else { return nil }
        guard case .number(let literal) = value, let double = Double(literal), double.isFinite else {
            throw .invalid("'\(path)' must be a finite number")
        }
        return double
    }

    static func bool(_ value: JSONValue?, _ path: String) throws(WirehookError) -> Bool? {
        guard let value, !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw .invalid("'\(path)' must be true or false") }
        return flag
    }

    /// An RFC 3339 time (Remnawave, wg-portal) or a naive UTC one (Marzban).
    static func time(_ value: JSONValue?, _ path: String) throws(WirehookError) -> Date? {
        guard let text = try string(value, path) else { return nil }
        guard let date = PanelTime.parse(text) else { throw .invalid("'\(path)' must be an ISO 8601 time") }
        return date
    }

    /// Unix seconds (Marzban `expire`); 0 is "never" there, as nil is.
    static func unixSeconds(_ value: JSONValue?, _ path: String) throws(WirehookError) -> Date? {
        guard let seconds = try double(value, path), seconds != 0 else { return nil }
        guard Timestamp.validSeconds.contains(seconds) else { throw .invalid("'\(path)' must be a Unix time in seconds") }
        return Date(timeIntervalSince1970: seconds)
    }

    static func object(_ value: JSONValue?, _ path: String) throws(WirehookError) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        guard case .object = value else { throw .invalid("'\(path)' must be an object") }
        return value
    }
}
