import Crypto
import WirehookVerify

/// Stable short ids derived from content (SHA-256, hex).
public enum HashID {
    public static func of(_ text: String) -> String {
        HMACSignature.hexEncode(Array(SHA256.hash(data: Array(text.utf8))))
    }

    public static func of(_ bytes: [UInt8]) -> String {
        HMACSignature.hexEncode(Array(SHA256.hash(data: bytes)))
    }
}
