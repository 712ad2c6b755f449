import WirehookCore

/// A JSON value as a receiver's language holds it after parsing, for checking that a dialect's
/// bytes carry the same data: objects as maps (the last duplicate wins), numbers as doubles.
///
/// Written independently of `JSONWriter`'s styles, so a test built on it checks them rather
/// than restating them.
public indirect enum LanguageView: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([LanguageView])
    case object([String: LanguageView])

    public enum Language: Sendable { case javascript, python }

    public init(_ value: JSONValue, as language: Language) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let literal):
            let double = Double(literal) ?? .nan
            // `JSON.parse` reads a literal past a double as Infinity, which `JSON.stringify` writes
            // as null; Python keeps such a literal's meaning (an int, or inf either way).
            self = language == .javascript && !double.isFinite ? .null : .number(double)
        case .string(let s): self = .string(s)
        case .array(let elements): self = .array(elements.map { LanguageView($0, as: language) })
        case .object(let members):
            var map: [String: LanguageView] = [:]
            for member in members { map[member.key] = LanguageView(member.value, as: language) }
            self = .object(map)
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let d): "\(d)"
        case .string(let s): s.count > 60 ? "\"\(s.prefix(60))…\"" : "\"\(s)\""
        case .array(let a): "[" + a.map(\.description).joined(separator: ",") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0):\(o[$0]!)" }.joined(separator: ",") + "}"
        }
    }
}
