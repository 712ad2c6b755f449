import Foundation
import WirehookCore

/// The admin token: given by configuration, or generated once and kept in the data directory (0600).
enum AdminToken {
    static let fileName = "admin-token"

    /// Returns the token and whether it was generated just now (so the caller prints it once).
    static func load(configured: String?, dataDirectory: String) throws -> (token: String, generated: Bool) {
        if let configured { return (configured, false) }
        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            let token = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return (token, false) }
        }
        let token = "whadm_" + SecretGenerator.alphanumeric(length: 40)
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ConfigurationError("could not write the admin token to \(path)")
        }
        return (token, true)
    }
}
