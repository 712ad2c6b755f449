import Hummingbird

/// A method and path the router serves, in OpenAPI's spelling (`/webhooks/{id}`), so the routes
/// really registered can be held against the contract.
public struct ServedRoute: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let method: String
    public let path: String

    public init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    /// Hummingbird writes a `:id` capture as `{id}` when it describes a path, which is OpenAPI's
    /// form; wildcards stay as they are and so match no documented path.
    init(_ route: Router<BasicRequestContext>.RouteDescription) {
        self.init(method: route.method.rawValue, path: route.path.description)
    }

    public var description: String { "\(method) \(path)" }

    public static func < (lhs: ServedRoute, rhs: ServedRoute) -> Bool {
        (lhs.path, lhs.method) < (rhs.path, rhs.method)
    }
}
