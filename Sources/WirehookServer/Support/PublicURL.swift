import Foundation

/// The address users reach the server at, when a reverse proxy stands in front of it.
public struct PublicURL: Sendable, Equatable {
    public var isHTTPS: Bool
    /// The path the proxy mounts Wirehook under, without a trailing slash: "" or "/wirehook".
    public var pathPrefix: String

    public init?(_ text: String) {
        guard text.utf8.count <= 2048, let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty, components.query == nil, components.fragment == nil
        else { return nil }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        // The prefix is written into pages and a cookie attribute: only plain path characters.
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%")
        guard path.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        self.isHTTPS = scheme == "https"
        self.pathPrefix = path
    }
}
