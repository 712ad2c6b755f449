/// Serialises `JSONValue`s byte for byte in the dialect a receiver re-creates when it verifies.
public struct JSONWriter {
    public enum Style: Sendable {
        /// Compact, raw UTF-8, numbers exactly as they arrived.
        case compact
        /// What JavaScript's `JSON.stringify` writes for the parsed value.
        case javascript
        /// What Python's `json.dumps` writes with its defaults (`", "`, `": "`, ASCII only).
        case python
        /// What Go 1.22+'s `encoding/json` writes: compact, `<`, `>`, `&`, U+2028 and U+2029 escaped,
        /// `\b` and `\f` as short escapes.
        case go
    }

    public private(set) var bytes: [UInt8] = []
    let style: Style

    public init(style: Style, reservingCapacity capacity: Int = 256) {
        self.style = style
        bytes.reserveCapacity(capacity)
    }

    public static func serialize(_ value: JSONValue, style: Style = .compact) -> [UInt8] {
        var writer = JSONWriter(style: style)
        writer.write(value)
        return writer.bytes
    }

    public static func string(_ value: JSONValue, style: Style = .compact) -> String {
        String(decoding: serialize(value, style: style), as: UTF8.self)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes += "null".utf8
        case .bool(let b): bytes += (b ? "true" : "false").utf8
        case .number(let literal): writeNumber(literal)
        case .string(let s): writeString(s)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { writeSeparator(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (i, member) in objectMembers(members).enumerated() {
                if i > 0 { writeSeparator(UInt8(ascii: ",")) }
                writeString(member.key)
                writeSeparator(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends bytes that are already valid JSON, e.g. a body rendered earlier.
    public mutating func writeRaw(_ raw: some Sequence<UInt8>) {
        bytes += raw
    }

    public mutating func writeSeparator(_ byte: UInt8) {
        bytes.append(byte)
        if style == .python { bytes.append(UInt8(ascii: " ")) }
    }

    mutating func writeNumber(_ literal: String) {
        switch style {
        case .compact: bytes += literal.utf8
        case .javascript: bytes += JavaScriptNumber.canonical(literal: literal).utf8
        case .go: bytes += literal.utf8
        case .python: bytes += PythonNumber.canonical(literal: literal).utf8
        }
    }

    /// The members as the style's language holds a parsed object: JavaScript and Python keep one
    /// value per key (the last, at the first key's place), and JavaScript lists array-index keys
    /// first in ascending order. A receiver that re-serialises to verify sees these bytes.
    func objectMembers(_ members: [JSONMember]) -> [JSONMember] {
        switch style {
        case .compact, .go: return members
        case .python: return ObjectOrder.lastValueWins(members)
        case .javascript: return ObjectOrder.javascript(ObjectOrder.lastValueWins(members))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func writeUnicodeEscape(_ unit: UInt16) {
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        bytes.append(Self.hexDigits[Int(unit >> 12) & 0xF])
        bytes.append(Self.hexDigits[Int(unit >> 8) & 0xF])
        bytes.append(Self.hexDigits[Int(unit >> 4) & 0xF])
        bytes.append(Self.hexDigits[Int(unit) & 0xF])
    }

    public mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        if style == .python {
            for unit in s.utf16 {
                switch unit {
                case 0x22: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case 0x5C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                case 0x20...0x7E: bytes.append(UInt8(unit))
                default: writeUnicodeEscape(unit)
                }
            }
        } else if style == .go {
            for scalar in s.unicodeScalars {
                switch scalar.value {
                case 0x3C, 0x3E, 0x26, 0x2028, 0x2029: writeUnicodeEscape(UInt16(scalar.value))
                default: writeEscaped(scalar)
                }
            }
        } else {
            for byte in s.utf8 {
                switch byte {
                case 0x22: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case 0x5C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                case 0x00..<0x20: writeUnicodeEscape(UInt16(byte))
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ scalar: Unicode.Scalar) {
        if scalar.value < 0x80 {
            let byte = UInt8(scalar.value)
            switch byte {
            case 0x22: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case 0x5C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            // Go 1.22 and later write these two as short escapes too (encoding/json's encodeState).
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x00..<0x20: writeUnicodeEscape(UInt16(byte))
            default: bytes.append(byte)
            }
        } else {
            bytes += String(scalar).utf8
        }
    }
}
