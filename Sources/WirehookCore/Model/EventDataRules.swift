/// What an event's data must satisfy so that every dialect can carry it.
public enum EventDataRules {
    /// Why `value` cannot be carried, naming the field under `path` (e.g. `data.user.days_left`),
    /// or nil when it can.
    ///
    /// Every receiver's JSON reads numbers into IEEE doubles (JavaScript, Python floats, Go's
    /// float64). A literal beyond a double's range has no value there: `JSON.parse` makes it
    /// Infinity, Python's `json.dumps` writes `Infinity` (not JSON) and Go refuses the document.
    /// Such a literal is refused at the door instead of reaching some receivers and not others.
    /// Literals that merely lose precision (`9223372036854775807`) are kept: each dialect writes
    /// them as its language does.
    public static func problem(in value: JSONValue, path: String) -> String? {
        guard let (literal, trail) = numberBeyondDouble(in: value) else { return nil }
        let field = path + trail.reversed().joined()
        let shown = literal.utf8.count > 40 ? String(literal.prefix(24)) + "…(\(literal.utf8.count) characters)" : literal
        return "'\(field)' is \(shown), beyond the range of a 64-bit float (about ±1.8e308) that receivers read numbers into"
    }

    /// The first such literal and the path to it, innermost component first.
    static func numberBeyondDouble(in value: JSONValue) -> (String, [String])? {
        switch value {
        case .number(let literal):
            // The parser caps literals at 512 bytes, so this conversion is cheap.
            guard let double = Double(literal), !double.isFinite else { return nil }
            return (literal, [])
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let (literal, trail) = numberBeyondDouble(in: element) { return (literal, trail + ["[\(index)]"]) }
            }
            return nil
        case .object(let members):
            for member in members {
                if let (literal, trail) = numberBeyondDouble(in: member.value) {
                    return (literal, trail + [component(member.key)])
                }
            }
            return nil
        case .null, .bool, .string:
            return nil
        }
    }

    /// `.name` for plain keys; other keys as a quoted, shortened JSON string in brackets.
    static func component(_ key: String) -> String {
        let plain =
            !key.isEmpty && key.utf8.count <= 64
            && key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
        if plain { return "." + key }
        return "[" + JSONWriter.string(.string(String(key.prefix(32)))) + "]"
    }
}
