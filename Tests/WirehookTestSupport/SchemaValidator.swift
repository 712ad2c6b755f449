import Foundation
import WirehookCore

/// A small JSON Schema subset, enough to check a body against a panel's model as its source
/// defines it: `type` (one or a list), `nullable`, `required`, `properties`,
/// `additionalProperties: false`, `items`, `enum`, `format` (`date-time`, `naive-date-time`,
/// `uuid`), `$ref` to another file of the folder, and `requiredWhen` (`{"property", "cases":
/// {value: [keys]}}`: Marzban's per-action fields).
public struct SchemaValidator: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// `Tests/Fixtures/schemas`.
    public static let fixtures = SchemaValidator(
        folder: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/schemas"))

    public func schema(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
    }

    /// Every problem found, as `path: what` lines; empty when the value conforms.
    public func problems(_ value: JSONValue, against name: String) throws -> [String] {
        var out: [String] = []
        try check(value, try schema(name), path: "$", into: &out)
        return out
    }

    func check(_ value: JSONValue, _ schema: JSONValue, path: String, into out: inout [String]) throws {
        if let ref = schema["$ref"]?.stringValue {
            try check(value, try self.schema(ref), path: path, into: &out)
            return
        }
        if value.isNull {
            if schema["nullable"]?.boolValue == true || Self.types(schema).contains("null") { return }
            if !Self.types(schema).isEmpty { out.append("\(path): null where \(Self.types(schema)) is required") }
            return
        }
        let types = Self.types(schema)
        if !types.isEmpty, !types.contains(where: { Self.matches(value, $0) }) {
            out.append("\(path): \(Self.describe(value)) is not \(types.joined(separator: " or "))")
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            out.append("\(path): \(JSONWriter.string(value)) is not one of \(JSONWriter.string(.array(allowed)))")
        }
        if let format = schema["format"]?.stringValue, let text = value.stringValue {
            let ok: Bool
            switch format {
            case "date-time": ok = Timestamp.parse(text) != nil
            case "naive-date-time": ok = Timestamp.parse(text + "Z") != nil && !text.hasSuffix("Z") && !text.contains("+")
            case "uuid": ok = UUID(uuidString: text) != nil
            default: ok = true
            }
            if !ok { out.append("\(path): \"\(text)\" is not a \(format)") }
        }
        if case .object(let members) = value {
            let keys = Set(members.map(\.key))
            for case .string(let key) in schema["required"]?.arrayValue ?? [] where !keys.contains(key) {
                out.append("\(path): missing required '\(key)'")
            }
            if let when = schema["requiredWhen"], let property = when["property"]?.stringValue,
                let selector = value[property]?.stringValue, let needed = when["cases"]?[selector]?.arrayValue
            {
                for case .string(let key) in needed where !keys.contains(key) {
                    out.append("\(path): '\(property)' \(selector) requires '\(key)'")
                }
            }
            let properties = schema["properties"]
            for member in members {
                if let sub = properties?[member.key] {
                    try check(member.value, sub, path: "\(path).\(member.key)", into: &out)
                } else if schema["additionalProperties"]?.boolValue == false {
                    out.append("\(path): '\(member.key)' is not in the model")
                }
            }
        }
        if case .array(let elements) = value, let items = schema["items"] {
            for (i, element) in elements.enumerated() { try check(element, items, path: "\(path)[\(i)]", into: &out) }
        }
    }

    static func types(_ schema: JSONValue) -> [String] {
        if let one = schema["type"]?.stringValue { return [one] }
        return schema["type"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("null", .null): return true
        case ("number", .number): return true
        case ("integer", .number(let literal)):
            // Python's pydantic and zod's `int()` accept 5 and 5.0, not 5.5.
            if Int64(literal) != nil { return true }
            guard let d = Double(literal) else { return false }
            return d.rounded() == d && abs(d) < 9.0e15
        default: return false
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let n): "the number \(n)"
        case .string(let s): "the string \"\(s.prefix(40))\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
