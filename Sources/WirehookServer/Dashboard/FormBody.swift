import Foundation
import Hummingbird
import NIOCore
import WirehookCore

/// A submitted `application/x-www-form-urlencoded` form: every value of every name, in order.
struct FormBody: Sendable {
    /// Dashboard forms are small; anything larger is not one of ours.
    static let limit = 256 * 1024
    static let maxFields = 1000

    let pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    init(encoded text: String) throws {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            guard pairs.count < Self.maxFields else { throw WirehookError.invalid("the form has too many fields") }
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            pairs.append((decode(pieces[0]), pieces.count > 1 ? decode(pieces[1]) : ""))
        }
        self.pairs = pairs
    }

    static func read(_ request: Request) async throws -> FormBody {
        let buffer = try await RequestBody.collect(request, limit: limit)
        return try FormBody(encoded: String(buffer: buffer))
    }

    /// The last value given for `name`.
    subscript(name: String) -> String? { pairs.last { $0.name == name }?.value }

    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// A value with surrounding blanks removed, nil when empty: an empty box means "not given".
    func trimmed(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
