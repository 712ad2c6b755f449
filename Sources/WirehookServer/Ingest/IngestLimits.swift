/// How much the ingest queue may hold (waiting or being committed) before it answers 503.
///
/// Without a bound, a database that slows down turns every incoming request into memory that
/// waits for it; with one, the excess is refused at once and the client retries later.
public struct IngestLimits: Sendable {
    /// Requests at most; one request may carry up to 1000 events.
    public var requests: Int
    /// Request body bytes at most. One request is always let in when the queue is empty, so a
    /// body under the body limit is never refused for its size alone.
    public var bytes: Int

    public init(requests: Int = 1000, bytes: Int = 64 << 20) {
        self.requests = max(1, requests)
        self.bytes = max(1, bytes)
    }
}
