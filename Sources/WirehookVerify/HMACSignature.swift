import Crypto
import Foundation

/// HMAC-SHA256 in the encodings webhook dialects put in their headers.
public enum HMACSignature {
    @inlinable
    public static func sha256(key: some ContiguousBytes, message: some DataProtocol) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// Lowercase hex of HMAC-SHA256 keyed with the secret's UTF-8 bytes (Remnawave, VPN Enterprise).
    public static func hex(secret: String, message: some DataProtocol) -> String {
        hexEncode(sha256(key: Array(secret.utf8), message: message))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func hexEncode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares without revealing the position of the first difference. Inlinable so callers
    /// get a copy specialised to their collections: generic, it looked up type metadata on every
    /// byte, and the token check of every API request cost 5 % of the ingest CPU.
    @inlinable
    public static func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
