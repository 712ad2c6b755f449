import Foundation
import Testing
import WirehookCore

/// The breaker and disable rules on their own, on a fixed clock.
struct HealthPolicyTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = HealthPolicy(
        breakerThreshold: 3, disableAfter: .seconds(3600), probeWaits: [.seconds(10), .seconds(60), .seconds(600)])

    func record(_ sequence: Int64, at seconds: Double, status: Int?, probe: Bool = false, request: Int64? = nil)
        -> AttemptRecord
    {
        AttemptRecord(
            deliverySequence: sequence, endpointID: "wh_a",
            attempt: Attempt(
                attemptedAt: start.addingTimeInterval(seconds), responseStatus: status, responseTimeMs: 5,
                error: status == 200 ? nil : "HTTP \(status ?? 0)", responseBody: [], trigger: probe ? .probe : .schedule),
            next: status == 200 ? .delivered : .retry(at: start), requestSequence: request)
    }

    func apply(_ records: [AttemptRecord], to health: EndpointHealth = .healthy) -> EndpointHealth {
        policy.changes(records, current: ["wh_a": health]).first?.health ?? health
    }

    @Test func failuresPauseAtTheThresholdAndProbesWaitLongerEachTime() {
        let failing = apply([record(1, at: 0, status: 500), record(2, at: 1, status: 500)])
        #expect(failing.state == .failing)
        #expect(failing.consecutiveFailures == 2)
        let paused = apply([record(3, at: 2, status: 503)], to: failing)
        #expect(paused.state == .paused)
        #expect(paused.nextProbeAt == start.addingTimeInterval(12))
        // A late result of an attempt sent before the breaker opened does not push the probe out.
        #expect(apply([record(4, at: 3, status: 500)], to: paused).nextProbeAt == start.addingTimeInterval(12))
        let afterProbe = apply([record(5, at: 12, status: 500, probe: true)], to: paused)
        #expect(afterProbe.nextProbeAt == start.addingTimeInterval(72))
        let afterTwo = apply([record(6, at: 72, status: 500, probe: true)], to: afterProbe)
        #expect(afterTwo.nextProbeAt == start.addingTimeInterval(672))
        let closed = policy.changes([record(7, at: 700, status: 200, probe: true)], current: ["wh_a": afterTwo])
        #expect(closed.first?.health.state == .healthy)
        #expect(closed.first?.health.consecutiveFailures == 0)
        #expect(closed.first?.releasesBacklog == true, "the backlog drains once the breaker closes")
    }

    @Test func oneFailedBatchRequestIsOneFailure() {
        let batch = (1...50).map { record(Int64($0), at: 0, status: 500, request: 1) }
        let health = apply(batch)
        #expect(health.consecutiveFailures == 1)
        #expect(health.state == .failing)
    }

    @Test func goneDisablesAndSoDoesAWindowWithoutSuccess() {
        let gone = apply([record(1, at: 5, status: 410)])
        #expect(gone.state == .disabled)
        #expect(gone.reason?.contains("410 Gone") == true)
        // Results still in flight when it was disabled change nothing.
        #expect(apply([record(2, at: 6, status: 200)], to: gone) == gone)

        let noBreaker = HealthPolicy(breakerThreshold: 0, disableAfter: .seconds(3600), probeWaits: [.seconds(1)])
        let early = noBreaker.changes([record(1, at: 0, status: 500)], current: ["wh_a": .healthy])[0].health
        let late = noBreaker.changes([record(2, at: 3600, status: 500)], current: ["wh_a": early])[0].health
        #expect(late.state == .disabled)
        #expect(late.reason?.contains("WIREHOOK_DISABLE_AFTER=1h") == true)
    }

    @Test func allowanceFollowsTheState() {
        let now = start
        #expect(policy.allowance(active: true, health: .healthy, now: now) == .usual)
        #expect(policy.allowance(active: false, health: .healthy, now: now) == .none)
        #expect(policy.allowance(active: true, health: EndpointHealth(state: .failing, consecutiveFailures: 1), now: now) == .usual)
        #expect(policy.allowance(active: true, health: EndpointHealth(state: .failing, consecutiveFailures: 3), now: now) == .one)
        let paused = EndpointHealth(state: .paused, nextProbeAt: now.addingTimeInterval(5))
        #expect(policy.allowance(active: true, health: paused, now: now) == .none)
        #expect(policy.allowance(active: true, health: paused, now: now.addingTimeInterval(5)) == .probe)
    }
}
