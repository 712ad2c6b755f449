/// How JavaScript and Python order and deduplicate the members of a parsed JSON object.
enum ObjectOrder {
    /// `JSON.parse` and `json.loads` keep one value per key: the last one, at the place where the
    /// key first appeared.
    static func lastValueWins(_ members: [JSONMember]) -> [JSONMember] {
        guard members.count > 1 else { return members }
        var indexByKey: [String: Int] = [:]
        indexByKey.reserveCapacity(members.count)
        var result: [JSONMember] = []
        result.reserveCapacity(members.count)
        for member in members {
            if let index = indexByKey[member.key] {
                result[index].value = member.value
            } else {
                indexByKey[member.key] = result.count
                result.append(member)
            }
        }
        return result
    }

    /// JavaScript objects list integer-like keys (array indices, 0 to 2³²−2) first, ascending,
    /// then the others in insertion order; `JSON.stringify` writes them in that order.
    static func javascript(_ members: [JSONMember]) -> [JSONMember] {
        guard members.contains(where: { arrayIndex($0.key) != nil }) else { return members }
        let indexed = members.compactMap { member in arrayIndex(member.key).map { ($0, member) } }
        return indexed.sorted { $0.0 < $1.0 }.map(\.1) + members.filter { arrayIndex($0.key) == nil }
    }

    /// The key's value when it is a canonical array index: no sign, no leading zero, below 2³²−1.
    static func arrayIndex(_ key: String) -> UInt32? {
        let utf8 = key.utf8
        guard let first = utf8.first, utf8.count <= 10, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"),
            first != UInt8(ascii: "0") || utf8.count == 1
        else { return nil }
        var value: UInt64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            // At most 10 digits, so this stays far below UInt64's limit.
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value < 0xFFFF_FFFF ? UInt32(value) : nil
    }
}
