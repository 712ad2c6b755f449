import Hummingbird
import WirehookCore

/// Reads request bodies within the size limit, each while holding one of the parse slots.
struct BodyReader: Sendable {
    let limit: Int
    let slots: ParseSlots

    /// The body parsed as JSON, and its size (what it counts against the ingest queue's bound).
    func json(_ request: Request, allowEmpty: Bool = false) async throws -> (value: JSONValue, bytes: Int) {
        try await slots.withSlot {
            let buffer = try await RequestBody.collect(request, limit: limit)
            return (try RequestBody.parse(buffer, allowEmpty: allowEmpty), buffer.readableBytes)
        }
    }

    /// The raw body handed to `use` (check a signature, then parse) while the slot is held.
    func raw<T>(_ request: Request, _ use: ([UInt8]) throws -> T) async throws -> T {
        try await slots.withSlot {
            try use(Array(try await RequestBody.collect(request, limit: limit).readableBytesView))
        }
    }
}
