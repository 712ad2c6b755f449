/// The claim algorithm both stores share: walk due deliveries oldest first and take them while
/// respecting the per-endpoint cap and batching, so one endpoint's backlog cannot starve others.
///
/// A store scans in rounds: each round excludes endpoints that are already `full`, so a long
/// backlog at the front of the queue does not hide other endpoints' due work. Every store runs
/// the same loop and keeps only the SQL of the scan and the lease:
///
///     var plan = ClaimPlan(request: request)
///     while let scan = plan.nextScan() {
///         let round = plan.take(try fetchDue(excluding: scan.excluding, limit: scan.limit))
///         if !round.isEmpty { try lease(round) }  // leased rows stop being due
///     }
public struct ClaimPlan: Sendable {
    /// An endpoint's say in the claim: switched off, or its breaker state.
    public struct Standing: Sendable {
        public var id: String
        public var active: Bool
        public var health: EndpointHealth

        public init(id: String, active: Bool, health: EndpointHealth) {
            self.id = id
            self.active = active
            self.health = health
        }
    }

    /// One round's query: due deliveries, oldest first, not of these endpoints, at most `limit`.
    public struct Scan: Sendable, Equatable {
        public var excluding: [String]
        public var limit: Int
    }

    /// Rounds per claim; past this a claim returns what it has rather than keep scanning.
    static let maxRounds = 8

    public struct Candidate: Sendable {
        public var sequence: Int64
        public var endpointID: String
        public var format: String

        public init(sequence: Int64, endpointID: String, format: String) {
            self.sequence = sequence
            self.endpointID = endpointID
            self.format = format
        }
    }

    let request: ClaimRequest
    /// Requests (slots) used so far: one per delivery, or one per batch.
    private(set) var units = 0
    private var perEndpoint: [String: Int]
    private var batchCounts: [String: Int] = [:]
    /// Endpoints that can take nothing more in this claim.
    public private(set) var full: Set<String>
    public private(set) var taken: [Int64] = []
    private var rounds = 0
    private var lastScanLimit = 0
    private var exhausted = false

    /// Requests each endpoint may have in flight from this worker, where not the usual cap.
    private var caps: [String: Int] = [:]
    /// Paused endpoints whose probe is due; the store decides which this process sends.
    public private(set) var probeCandidates: [String] = []
    private var probeEndpoints: Set<String> = []
    /// Deliveries taken as probes of a paused endpoint.
    public private(set) var probes: Set<Int64> = []

    /// `endpoints`: every endpoint's standing; one missing from it takes the usual cap.
    public init(request: ClaimRequest, endpoints: [Standing] = []) {
        self.request = request
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

    /// How many rows the next round should scan.
    var scanSize: Int { max(16, (request.limit - units) * 4) }

    /// The next round to run, or nil when the claim is complete: enough taken, the queue ran out
    /// (the last scan came back short), or the round limit was reached.
    public mutating func nextScan() -> Scan? {
        guard request.limit > 0, !isDone, !exhausted, rounds < Self.maxRounds else { return nil }
        rounds += 1
        lastScanLimit = scanSize
        return Scan(excluding: full.sorted(), limit: lastScanLimit)
    }

    /// Takes what it can from one round's candidates; returns the sequences taken in this round.
    public mutating func take(_ candidates: [Candidate]) -> [Int64] {
        if candidates.count < lastScanLimit { exhausted = true }
        var round: [Int64] = []
        for candidate in candidates {
            let endpointID = candidate.endpointID
            if full.contains(endpointID) { continue }
            if probeEndpoints.contains(endpointID) {
                guard units < request.limit else { break }
                units += 1
                perEndpoint[endpointID, default: 0] += 1
                full.insert(endpointID)
                probes.insert(candidate.sequence)
                round.append(candidate.sequence)
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
        }
        taken += round
        return round
    }
}
