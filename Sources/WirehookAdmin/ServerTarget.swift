import Foundation

/// Which Wirehook the admin commands talk to, and the credential they present.
///
/// Flags win over the environment (`WIREHOOK_URL`, `WIREHOOK_TOKEN`, then the server's own
/// `WIREHOOK_ADMIN_TOKEN`), which wins over the token file a local server keeps in its data directory.
public struct ServerTarget: Sendable, Equatable {
    public static let defaultURL = "http://127.0.0.1:8080"

    public var baseURL: String
    public var token: String

    public init(baseURL: String, token: String) {
        self.baseURL = baseURL
        self.token = token
    }

    public static func resolve(
        server: String?, token: String?, dataDirectory: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AdminError) -> ServerTarget {
        func nonEmpty(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        let url = nonEmpty(server) ?? nonEmpty(environment["WIREHOOK_URL"]) ?? defaultURL
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else {
            throw AdminError(.local, "--server must be an http:// or https:// URL such as \(defaultURL), not '\(url)'")
        }
        let directory = nonEmpty(dataDirectory) ?? nonEmpty(environment["WIREHOOK_DATA_DIR"]) ?? "./wirehook-data"
        let tokenFile = (directory as NSString).appendingPathComponent("admin-token")
        let fileToken = (try? String(contentsOfFile: tokenFile, encoding: .utf8)).flatMap(nonEmpty)
        guard
            let credential = nonEmpty(token) ?? nonEmpty(environment["WIREHOOK_TOKEN"])
                ?? nonEmpty(environment["WIREHOOK_ADMIN_TOKEN"]) ?? fileToken
        else {
            throw AdminError(
                .local,
                "no token: pass --token, set WIREHOOK_TOKEN, or run where \(tokenFile) is readable (--data-dir)")
        }
        guard credential.utf8.count <= 4096, !credential.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw AdminError(.local, "the token must be one line of at most 4096 bytes")
        }
        return ServerTarget(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, token: credential)
    }
}
