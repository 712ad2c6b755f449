import WirehookCore

/// Typed access to a JSON request object; wrong types become 422s naming the field.
struct Fields {
    let members: [JSONMember]

    init(_ value: JSONValue) throws {
        guard case .object(let members) = value else {
            throw WirehookError.invalid("request body must be a JSON object")
        }
        self.members = members
    }

    func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    func value(_ key: String) -> JSONValue? {
        members.last(where: { $0.key == key })?.value
    }

    func string(_ key: String, maxLength: Int = 4096) throws -> String? {
        guard let value = value(key), !value.isNull else { return nil }
        guard case .string(let s) = value else { throw WirehookError.invalid("'\(key)' must be a string") }
        guard s.utf8.count <= maxLength else {
            throw WirehookError.invalid("'\(key)' is at most \(maxLength) characters")
        }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key), !value.isNull else { return nil }
        guard case .bool(let b) = value else { throw WirehookError.invalid("'\(key)' must be true or false") }
        return b
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let value = value(key), !value.isNull else { return nil }
        guard case .array(let elements) = value else {
            throw WirehookError.invalid("'\(key)' must be an array of strings")
        }
        return try elements.map { element in
            guard case .string(let s) = element else {
                throw WirehookError.invalid("'\(key)' must be an array of strings")
            }
            return s
        }
    }
}
