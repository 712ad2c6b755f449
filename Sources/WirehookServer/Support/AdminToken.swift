import Foundation
import WirehookCore

/// The admin token: given by configuration, or generated once and kept in the data directory (0600).
public enum AdminToken {
    static let fileName = "admin-token"

    /// Where the generated token is kept, so start-up can name the file instead of printing it.
    public static func path(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(fileName)
    }

    /// Returns the token and whether it was generated just now (so the caller prints it once).
    static func load(configured: String?, dataDirectory: String) throws -> (token: String, generated: Bool) {
        if let configured { return (configured, false) }
        let file = path(dataDirectory: dataDirectory)
        if let existing = try? String(contentsOfFile: file, encoding: .utf8) {
            let token = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return (token, false) }
        }
        let token = "whadm_" + SecretGenerator.alphanumeric(length: 40)
        guard
            FileManager.default.createFile(
                atPath: file, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ConfigurationError("could not write the admin token to \(file)")
        }
        return (token, true)
    }
}
