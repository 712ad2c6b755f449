import Crypto
import WirehookVerify

/// Deterministic ids for a target field the source panel cannot supply, from the source panel's
/// name and its own key for the user (`marzban:alice`, `wg-portal:user:bob@example.com`), so
/// every event about one user carries the same ids and a retry carries the same bytes.
public enum DerivedID {
    /// The UUIDv5 namespace of every Wirehook-derived UUID: UUIDv5 of `wirehook.panel-ids` in the
    /// DNS namespace (RFC 9562), written out so receivers can recompute it.
    public static let namespace = "9fa2cfb3-04c3-5953-bc4b-6cbce2cb4b0b"

    /// RFC 9562 UUIDv5 (SHA-1) of `name` in `namespace`, lowercase with dashes.
    public static func uuid(_ name: String, namespace: String = DerivedID.namespace) -> String {
        var bytes = uuidBytes(namespace) ?? []
        bytes += Array(name.utf8)
        var hash = Array(Insecure.SHA1.hash(data: bytes).prefix(16))
        hash[6] = (hash[6] & 0x0F) | 0x50
        hash[8] = (hash[8] & 0x3F) | 0x80
        return format(hash)
    }

    /// A positive integer below 2^48 (safe in JavaScript and any JSON parser): the first six bytes
    /// of SHA-256 of `wirehook:<name>`, big-endian; never 0.
    public static func integer(_ name: String) -> Int64 {
        let hash = Array(SHA256.hash(data: Array("wirehook:\(name)".utf8)))
        let value = hash.prefix(6).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        return value == 0 ? 1 : value
    }

    /// Remnawave's nanoid alphabet (`0-9A-HJ-NP-Z_a-hj-km-z-`).
    static let shortAlphabet = Array("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ_abcdefghjkmnopqrstuvwxyz-")

    /// 16 characters of Remnawave's short-UUID alphabet (its minimum length) from SHA-256 of `wirehook:<name>`.
    public static func shortUUID(_ name: String) -> String {
        let hash = Array(SHA256.hash(data: Array("wirehook:\(name)".utf8)))
        return String(hash.prefix(16).map { shortAlphabet[Int($0) % shortAlphabet.count] })
    }

    static func uuidBytes(_ text: String) -> [UInt8]? {
        let hex = Array(text.utf8).filter { $0 != UInt8(ascii: "-") }
        guard hex.count == 32 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < 32 {
            guard let high = nibble(hex[i]), let low = nibble(hex[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    static func format(_ bytes: [UInt8]) -> String {
        let hex = HMACSignature.hexEncode(bytes)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// Whether `text` is a UUID in the 8-4-4-4-12 form.
    static func isUUID(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if [8, 13, 18, 23].contains(i) { guard c == UInt8(ascii: "-") else { return false } }
            else { guard nibble(c) != nil else { return false } }
        }
        return true
    }
}
