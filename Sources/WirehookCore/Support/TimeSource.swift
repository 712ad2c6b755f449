import struct Foundation.Date

/// Where "now" comes from; tests inject a controllable one.
public struct TimeSource: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = TimeSource(now: { Date() })
}
