import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WirehookCore

/// The management API as the admin commands use it: one JSON request, one JSON answer.
public struct AdminClient: Sendable {
    /// Answers larger than this are not a Wirehook answer (a page of deliveries is well below it).
    static let answerLimit = 32 << 20

    public let target: ServerTarget
    let client: HTTPClient
    let timeout: TimeAmount

    /// An HTTP client for one command: a refused connection fails at once instead of being retried
    /// until the deadline (a CLI user waits for it), and a silent host fails after 5 s.
    public static func makeHTTPClient(readTimeout: TimeAmount? = nil) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: readTimeout)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public init(target: ServerTarget, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        self.target = target
        self.client = client
        self.timeout = timeout
    }

    /// Sends one request; returns the parsed answer on 2xx, throws the server's message otherwise.
    public func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: JSONValue? = nil
    ) async throws(AdminError) -> JSONValue {
        var request = HTTPClientRequest(url: url(path, query: query))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(target.token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "wirehook-cli/\(WirehookVersion.current)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: JSONWriter.serialize(body)))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: Self.answerLimit)
        } catch {
            throw AdminError(.unreachable, "could not reach Wirehook at \(target.baseURL): \(Self.describe(error))")
        }
        let parsed = try? JSONParser.parse(bytes.readableBytesView)
        guard (200..<300).contains(status) else { throw AdminError.from(status: status, body: parsed) }
        guard let parsed else {
            throw AdminError(.badAnswer, "\(target.baseURL) answered HTTP \(status) without JSON: is it a Wirehook server?")
        }
        return parsed
    }

    public func get(_ path: String, query: [(String, String?)] = []) async throws(AdminError) -> JSONValue {
        try await send(.GET, path, query: query)
    }

    /// The full URL of `path`, with each path segment and query value percent-encoded.
    public func url(_ path: String, query: [(String, String?)] = []) -> String {
        var text = target.baseURL + path
        let pairs = query.compactMap { name, value in value.map { (name, $0) } }
        if !pairs.isEmpty {
            text += "?" + pairs.map { "\($0)=\(Self.escape($1))" }.joined(separator: "&")
        }
        return text
    }

    /// An id from the command line as one path segment: `/` or `?` in it cannot reach another route.
    public static func segment(_ id: String) -> String { escape(id) }

    static func escape(_ text: String) -> String {
        // RFC 3986 unreserved characters only; `alphanumerics` would let non-ASCII letters through.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A transport error in words an admin can act on.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .deadlineExceeded, .readTimeout: return "no answer in time"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return "connection refused (is `wirehook serve` running there?)"
        }
        return text
    }
}
