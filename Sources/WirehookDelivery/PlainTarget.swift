import Foundation
import NIOCore
import NIOHTTP1

/// A delivery to a plain `http://` URL as `PlainHTTP1Pool` sends it: the request head and body
/// built once, the port to connect to. Nil for anything else (https, a URL with credentials),
/// which AsyncHTTPClient sends.
struct PlainTarget: Sendable {
    let port: Int
    let head: HTTPRequestHead
    let body: ByteBuffer

    init?(url: String, headers: [(String, String)], body: [UInt8]) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
        else { return nil }
        port = components.port ?? 80
        var uri = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { uri += "?" + query }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        var fields = HTTPHeaders()
        fields.add(name: "Host", value: components.port == nil ? bracketed : "\(bracketed):\(port)")
        fields.add(name: "Content-Type", value: "application/json")
        fields.add(name: "User-Agent", value: HTTPSender.userAgent)
        for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
        fields.replaceOrAdd(name: "Content-Length", value: String(body.count))
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: uri)
        head.headers = fields
        self.head = head
        self.body = ByteBuffer(bytes: body)
    }
}
