import Foundation

/// Random secrets in the shapes the dialects expect.
public enum SecretGenerator {
    /// `whsec_` + base64 of 24 random bytes, as Standard Webhooks and Svix issue them.
    public static func whsec(byteCount: Int = 24) -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }

    /// Letters and digits only, as Remnawave requires of `WEBHOOK_SECRET_HEADER`.
    public static func alphanumeric(length: Int = 64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }

    /// A secret that is safe to put in an HTTP header: printable ASCII, bounded length.
    public static func headerSafetyProblem(_ secret: String) -> String? {
        guard !secret.isEmpty else { return "secret must not be empty" }
        guard secret.utf8.count <= 512 else { return "secret is at most 512 characters" }
        guard secret.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return "secret must be printable ASCII (no line breaks)"
        }
        return nil
    }
}
