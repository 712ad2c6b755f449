import struct Foundation.Date

/// An endpoint as both stores keep it: JSON text for the lists, milliseconds for times.
public struct EndpointRow: Sendable, Equatable {
    public var id: String
    public var url: String
    public var eventsText: String
    public var description: String
    public var active: Bool
    public var format: String
    public var secret: String
    public var optionsText: String
    public var createdAtMs: Int64
    public var updatedAtMs: Int64
    public var healthState: String
    public var healthReason: String?
    public var consecutiveFailures: Int64
    public var healthSinceMs: Int64?
    public var nextProbeAtMs: Int64?
    public var failingSinceMs: Int64?
    public var failedProbes: Int64
    public var previousSecret: String?
    public var previousSecretUntilMs: Int64?

    public init(
        id: String, url: String, eventsText: String, description: String, active: Bool, format: String,
        secret: String, optionsText: String, createdAtMs: Int64, updatedAtMs: Int64, healthState: String = "healthy",
        healthReason: String? = nil, consecutiveFailures: Int64 = 0, healthSinceMs: Int64? = nil,
        nextProbeAtMs: Int64? = nil, failingSinceMs: Int64? = nil, failedProbes: Int64 = 0,
        previousSecret: String? = nil, previousSecretUntilMs: Int64? = nil
    ) {
        self.id = id
        self.url = url
        self.eventsText = eventsText
        self.description = description
        self.active = active
        self.format = format
        self.secret = secret
        self.optionsText = optionsText
        self.createdAtMs = createdAtMs
        self.updatedAtMs = updatedAtMs
        self.healthState = healthState
        self.healthReason = healthReason
        self.consecutiveFailures = consecutiveFailures
        self.healthSinceMs = healthSinceMs
        self.nextProbeAtMs = nextProbeAtMs
        self.failingSinceMs = failingSinceMs
        self.failedProbes = failedProbes
        self.previousSecret = previousSecret
        self.previousSecretUntilMs = previousSecretUntilMs
    }

    public init(_ endpoint: Endpoint) {
        self.init(
            id: endpoint.id, url: endpoint.url, eventsText: JSONWriter.string(.array(endpoint.events.map { .string($0) })),
            description: endpoint.description, active: endpoint.active, format: endpoint.format,
            secret: endpoint.secret, optionsText: JSONWriter.string(endpoint.options),
            createdAtMs: Timestamp.milliseconds(endpoint.createdAt), updatedAtMs: Timestamp.milliseconds(endpoint.updatedAt),
            previousSecret: endpoint.previousSecret,
            previousSecretUntilMs: endpoint.previousSecretExpiresAt.map(Timestamp.milliseconds))
        setHealth(endpoint.health)
    }

    public mutating func setHealth(_ health: EndpointHealth) {
        healthState = health.state.rawValue
        healthReason = health.reason
        consecutiveFailures = Int64(health.consecutiveFailures)
        healthSinceMs = health.since.map(Timestamp.milliseconds)
        nextProbeAtMs = health.nextProbeAt.map(Timestamp.milliseconds)
        failingSinceMs = health.failingSince.map(Timestamp.milliseconds)
        failedProbes = Int64(health.failedProbes)
    }

    public var health: EndpointHealth {
        EndpointHealth(
            state: EndpointHealth.State(rawValue: healthState) ?? .healthy, reason: healthReason,
            consecutiveFailures: Int(clamping: consecutiveFailures), since: healthSinceMs.map(Timestamp.date(milliseconds:)),
            nextProbeAt: nextProbeAtMs.map(Timestamp.date(milliseconds:)),
            failingSince: failingSinceMs.map(Timestamp.date(milliseconds:)), failedProbes: Int(clamping: failedProbes))
    }

    /// A column edited by hand into something unreadable reads as empty rather than failing
    /// every listing.
    public var endpoint: Endpoint {
        let events = (try? JSONParser.parse(eventsText))?.arrayValue?.compactMap(\.stringValue) ?? []
        return Endpoint(
            id: id, url: url, events: events, description: description, active: active, format: format,
            secret: secret, createdAt: Timestamp.date(milliseconds: createdAtMs),
            updatedAt: Timestamp.date(milliseconds: updatedAtMs), options: Self.options(fromText: optionsText),
            health: health, previousSecret: previousSecret,
            previousSecretExpiresAt: previousSecretUntilMs.map(Timestamp.date(milliseconds:)))
    }

    /// The row as written: URL and secrets sealed by the box (unchanged when it has no key).
    public func sealed(with box: SecretBox) -> EndpointRow {
        var row = self
        row.url = box.seal(url)
        row.secret = box.seal(secret)
        row.previousSecret = box.seal(previousSecret)
        return row
    }

    /// The row as read back; throws, naming the variable, when a column needs a key the box lacks.
    public func opened(with box: SecretBox) throws(ConfigurationError) -> EndpointRow {
        var row = self
        row.url = try box.open(url)
        row.secret = try box.open(secret)
        row.previousSecret = try box.open(previousSecret)
        return row
    }

    static func options(fromText text: String) -> JSONValue {
        (try? JSONParser.parse(text)) ?? .object([])
    }
}
