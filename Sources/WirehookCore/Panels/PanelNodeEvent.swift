import struct Foundation.Date

/// A node event in panel-neutral terms: the node, and where and when the event came from (the
/// source names the derived ids, the time stands in for unknown timestamps).
public struct PanelNodeEvent: Sendable, Equatable {
    /// The canonical catalog name, e.g. `node.created`.
    public var type: String
    /// The panel it came from (`remnawave`, `marzban`), or `api` and the like for `POST /events`.
    public var source: String
    public var occurredAt: Date
    public var node = PanelNode()

    public init(type: String, source: String, occurredAt: Date) {
        self.type = type
        self.source = source
        self.occurredAt = occurredAt
    }
}
