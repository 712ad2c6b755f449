import struct Foundation.Date

/// Decides which endpoints get an event and renders each distinct format's body once.
public struct FanOut: Sendable {
    public var formats: FormatRegistry

    public init(formats: FormatRegistry) { self.formats = formats }

    public func plan(_ submission: NewEvent, endpoints: [Endpoint], now: Date) -> DeliveryPlan {
        var plan = DeliveryPlan()
        var bodyIndexByFormat: [String: Int] = [:]
        var skipByFormat: [String: String] = [:]
        for endpoint in endpoints {
            if let only = submission.onlyEndpointID {
                guard endpoint.id == only else { continue }
            } else {
                guard endpoint.active, endpoint.filter.matches(submission.event.type) else { continue }
            }
            // A test (`onlyEndpointID`) goes at once; waiting for a batching format's next flush
            // would leave the admin looking at "pending".
            let dueAt =
                submission.onlyEndpointID != nil
                ? nil
                : formats[endpoint.format]?.batchInterval(options: endpoint.options).map {
                    FlushSchedule.next(after: now, every: $0)
                }
            if let index = bodyIndexByFormat[endpoint.format] {
                plan.items.append(.init(endpointID: endpoint.id, bodyIndex: index, dueAt: dueAt))
                continue
            }
            if let reason = skipByFormat[endpoint.format] {
                plan.items.append(.init(endpointID: endpoint.id, bodyIndex: nil, note: reason))
                continue
            }
            guard let format = formats[endpoint.format] else {
                plan.items.append(
                    .init(endpointID: endpoint.id, bodyIndex: nil, note: "unknown format '\(endpoint.format)'"))
                continue
            }
            switch format.render(submission.event) {
            case .body(let bytes):
                bodyIndexByFormat[endpoint.format] = plan.bodies.count
                plan.items.append(.init(endpointID: endpoint.id, bodyIndex: plan.bodies.count, dueAt: dueAt))
                plan.bodies.append((endpoint.format, bytes))
            case .skip(let reason):
                skipByFormat[endpoint.format] = reason
                plan.items.append(.init(endpointID: endpoint.id, bodyIndex: nil, note: reason))
            }
        }
        return plan
    }
}
