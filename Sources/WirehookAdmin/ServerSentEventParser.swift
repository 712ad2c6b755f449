/// One server-sent event: its `id`, `event` name and `data` (lines joined with `\n`).
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String
    public var data: String

    public init(id: String?, event: String = "message", data: String) {
        self.id = id
        self.event = event
        self.data = data
    }
}

/// Turns a `text/event-stream` body into events, chunk by chunk, as the HTML standard says:
/// lines end in LF, CRLF or CR; `:` starts a comment; an empty line dispatches.
///
/// A value type with no I/O, so the reconnecting reader and its tests feed it the same way.
public struct ServerSentEventParser: Sendable {
    /// A line longer than this is not a Wirehook event; it is cut off so a broken peer cannot grow memory.
    public static let lineLimit = 1 << 20

    private var line: [UInt8] = []
    private var lastWasCR = false
    private var data: [String] = []
    private var eventName = ""
    private var hasData = false
    private var pendingID: String?
    /// The last id the stream named; sent back as `Last-Event-ID` on reconnect.
    public private(set) var lastEventID: String?
    /// The server's `retry:` advice in milliseconds, if it gave any.
    public private(set) var retryMilliseconds: Int?

    public init(lastEventID: String? = nil) {
        self.lastEventID = lastEventID
    }

    /// Feeds bytes; returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n"), lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if let event = endLine() { events.append(event) }
            } else if line.count < Self.lineLimit {
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "data":
            data.append(String(value))
            hasData = true
        case "event": eventName = String(value)
        case "id" where !value.contains("\0"): pendingID = String(value)
        case "retry": if let ms = Int(value), ms >= 0 { retryMilliseconds = ms }
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        // The id counts even for an event without data, as EventSource does.
        if let pendingID { lastEventID = pendingID }
        defer {
            data.removeAll()
            eventName = ""
            hasData = false
            pendingID = nil
        }
        guard hasData else { return nil }
        return ServerSentEvent(
            id: lastEventID, event: eventName.isEmpty ? "message" : eventName, data: data.joined(separator: "\n"))
    }
}
