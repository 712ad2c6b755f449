/// The claim algorithm both stores share: take due deliveries oldest first while respecting the
/// per-endpoint cap and batching, so one endpoint's backlog cannot starve others.
///
/// A store reads each endpoint's due deliveries on its own, at most as many as that endpoint can
/// take now (`endpointScans`), through an index on (endpoint_id, next_attempt_at) over pending
/// rows; `take` merges them oldest first. One endpoint with a backlog of millions therefore costs
/// a claim one index probe, like any other: a scan of the whole due queue that skipped full
/// endpoints had to walk that backlog row by row. Every store runs the same steps and keeps only
/// the SQL of the read and the lease:
///
///     var plan = ClaimPlan(request: request, endpoints: standings)
///     var candidates: [ClaimPlan.Candidate] = []
///     for scan in plan.endpointScans() { candidates += try fetchDue(scan.endpointID, limit: scan.limit) }
///     try lease(plan.take(candidates))  // leased rows stop being due
public struct ClaimPlan: Sendable {
    /// An endpoint's say in the claim: switched off, or its breaker state, and its format.
    public struct Standing: Sendable {
        public var id: String
        public var active: Bool
        public var health: EndpointHealth
        public var format: String

        public init(id: String, active: Bool, health: EndpointHealth, format: String) {
            self.id = id
            self.active = active
            self.health = health
            self.format = format
        }
    }

    /// One endpoint's read: its due deliveries, oldest first, at most `limit`.
    public struct EndpointScan: Sendable, Equatable {
        public var endpointID: String
        public var format: String
        public var limit: Int
    }

    public struct Candidate: Sendable {
        public var sequence: Int64
        public var endpointID: String
        public var format: String
        /// When the delivery fell due, to merge the endpoints' reads oldest first.
        public var dueAtMs: Int64

        public init(sequence: Int64, endpointID: String, format: String, dueAtMs: Int64) {
            self.sequence = sequence
            self.endpointID = endpointID
            self.format = format
            self.dueAtMs = dueAtMs
        }
    }

    let request: ClaimRequest
    private let standings: [Standing]
    /// Requests (slots) used so far: one per delivery, or one per batch.
    private(set) var units = 0
    private var perEndpoint: [String: Int]
    private var batchCounts: [String: Int] = [:]
    /// Endpoints that can take nothing more in this claim.
    public private(set) var full: Set<String>
    public private(set) var taken: [Int64] = []
    /// The endpoints of what was taken.
    public private(set) var takenEndpoints: Set<String> = []

    /// Requests each endpoint may have in flight from this worker, where not the usual cap.
    private var caps: [String: Int] = [:]
    /// Paused endpoints whose probe is due; the store decides which this process sends.
    public private(set) var probeCandidates: [String] = []
    private var probeEndpoints: Set<String> = []
    /// Deliveries taken as probes of a paused endpoint.
    public private(set) var probes: Set<Int64> = []

    /// `endpoints`: every endpoint's standing; one missing from it takes the usual cap.
    public init(request: ClaimRequest, endpoints: [Standing]) {
        self.request = request
        standings = endpoints.sorted { $0.id < $1.id }
        perEndpoint = request.inFlight
        for endpoint in endpoints {
            switch request.health.allowance(active: endpoint.active, health: endpoint.health, now: request.now) {
            case .usual: break
            case .one: caps[endpoint.id] = 1
            case .probe:
                caps[endpoint.id] = 0
                probeCandidates.append(endpoint.id)
            case .none: caps[endpoint.id] = 0
            }
        }
        probeCandidates.sort()
        let caps = self.caps
        full = Set(request.inFlight.filter { $0.value >= (caps[$0.key] ?? request.maxPerEndpoint) }.keys)
            .union(caps.filter { $0.value == 0 }.keys)
    }

    /// The probe slots this process won (the store takes them atomically, so one process
    /// probes an endpoint at a time); each may send one delivery.
    public mutating func grantProbes(_ won: Set<String>) {
        for id in probeCandidates where won.contains(id) && perEndpoint[id, default: 0] == 0 {
            caps[id] = 1
            probeEndpoints.insert(id)
            full.remove(id)
        }
    }

    public var isDone: Bool { units >= request.limit }

    /// The reads to run: every endpoint that can take something, each limited to what it can
    /// take (a probe one delivery, a batch up to the batch size, others their free slots).
    public func endpointScans() -> [EndpointScan] {
        guard request.limit > 0 else { return [] }
        return standings.compactMap { standing in
            let id = standing.id
            guard !full.contains(id) else { return nil }
            let inFlight = perEndpoint[id, default: 0]
            let limit: Int
            if probeEndpoints.contains(id) {
                limit = 1
            } else if request.batchFormats.contains(standing.format) {
                limit = inFlight == 0 ? request.maxBatchSize : 0
            } else {
                limit = min(max(0, (caps[id] ?? request.maxPerEndpoint) - inFlight), request.limit)
            }
            return limit > 0 ? EndpointScan(endpointID: id, format: standing.format, limit: limit) : nil
        }
    }

    /// Whether `take` would keep exactly the oldest `request.limit` rows of these scans, in due
    /// order: no probe to grant, and no batching format among them, so every row is one slot
    /// and each scan's limit is already its endpoint's room. A store may then take the rows in
    /// the statement that reads them (PostgreSQL's `claimDue`).
    public func takesOldestOnly(_ scans: [EndpointScan]) -> Bool {
        probeCandidates.isEmpty && !scans.contains { request.batchFormats.contains($0.format) }
    }

    /// Takes what it can from the endpoints' reads, oldest first; returns the sequences taken.
    public mutating func take(_ candidates: [Candidate]) -> [Int64] {
        var round: [Int64] = []
        let oldestFirst = candidates.sorted { ($0.dueAtMs, $0.sequence) < ($1.dueAtMs, $1.sequence) }
        for candidate in oldestFirst {
            let endpointID = candidate.endpointID
            if full.contains(endpointID) { continue }
            if probeEndpoints.contains(endpointID) {
                guard units < request.limit else { break }
                units += 1
                perEndpoint[endpointID, default: 0] += 1
                full.insert(endpointID)
                probes.insert(candidate.sequence)
                round.append(candidate.sequence)
                takenEndpoints.insert(endpointID)
                continue
            }
            let cap = caps[endpointID] ?? request.maxPerEndpoint
            if request.batchFormats.contains(candidate.format) {
                // A batch takes one slot, and only when nothing is in flight to that endpoint.
                let count = batchCounts[endpointID, default: 0]
                if count == 0 {
                    guard perEndpoint[endpointID, default: 0] == 0, units < request.limit else {
                        full.insert(endpointID)
                        continue
                    }
                    units += 1
                }
                batchCounts[endpointID] = count + 1
                if count + 1 >= request.maxBatchSize { full.insert(endpointID) }
            } else {
                guard units < request.limit else { break }
                let current = perEndpoint[endpointID, default: 0]
                perEndpoint[endpointID] = current + 1
                if current + 1 >= cap { full.insert(endpointID) }
                units += 1
            }
            round.append(candidate.sequence)
            takenEndpoints.insert(endpointID)
        }
        taken += round
        return round
    }
}
