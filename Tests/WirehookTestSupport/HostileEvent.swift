/// One generated event, as JSON text, with the seed that rebuilds it.
///
/// Its description names the seed and how to rerun just this case, and stays short even when the
/// text holds a 1 MiB string, because the property library prints failing inputs.
public struct HostileEvent: Sendable, CustomStringConvertible {
    public let seed: UInt64
    /// A type such as `user.expiration` (in any dialect's spelling) or a custom one.
    public let type: String
    /// The members of the data object, without braces: `"days_left":9223372036854775807,…`.
    public let membersText: [UInt8]
    /// `data` itself: usually `{membersText}`, sometimes another JSON value.
    public let dataText: [UInt8]

    /// `{"type":…,"data":…}` as `POST /events` takes it.
    public var eventText: [UInt8] {
        Array(#"{"type":"\#(type)","data":"#.utf8) + dataText + Array("}".utf8)
    }

    public var description: String {
        let preview = String(decoding: dataText.prefix(160), as: UTF8.self)
        return "case seed \(PropertySeed.hex(seed)) (rerun with \(PropertySeed.variable)=\(PropertySeed.hex(seed))): "
            + "type \(type), data \(dataText.count) bytes: \(preview)\(dataText.count > 160 ? "…" : "")"
    }
}
