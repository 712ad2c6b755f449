import Foundation
import Testing
import WirehookCore

/// The live feed waits at a gap (a write that has not committed yet) and shows what fills it in
/// order; a gap that stays (a rolled-back write, deleted attempts) is passed after the patience.
struct AttemptFeedPositionTests {
    static func entries(_ cursors: [Int64]) -> [AttemptFeedEntry] {
        cursors.map {
            AttemptFeedEntry(
                cursor: $0, attemptedAt: Date(timeIntervalSince1970: 0), endpointID: "wh_1", deliveryID: "d\($0)",
                eventID: "e\($0)", eventType: "user.created", attemptNumber: 1, responseStatus: 200,
                responseTimeMs: 1, error: nil, trigger: .schedule, deliveryStatus: .success)
        }
    }

    @Test func aGapHoldsTheFeedUntilItIsFilledThenEverythingComesInOrder() {
        let start = ContinuousClock.now
        var position = AttemptFeedPosition(after: 0, patience: .seconds(3))
        #expect(position.advance(with: Self.entries([1, 2, 4, 5]), now: start).map(\.cursor) == [1, 2])
        #expect(position.cursor == 2)
        #expect(position.advance(with: Self.entries([4, 5]), now: start + .seconds(1)).isEmpty)
        // The slower commit lands: 3 and what waited behind it.
        #expect(position.advance(with: Self.entries([3, 4, 5]), now: start + .seconds(2)).map(\.cursor) == [3, 4, 5])
        #expect(position.cursor == 5)
    }

    @Test func aGapThatStaysIsPassedAfterThePatienceAndOnlyThen() {
        let start = ContinuousClock.now
        var position = AttemptFeedPosition(after: 10, patience: .seconds(3))
        #expect(position.advance(with: Self.entries([11, 13]), now: start).map(\.cursor) == [11])
        #expect(position.advance(with: Self.entries([13, 15]), now: start + .milliseconds(2900)).isEmpty)
        // 12 never comes. 13 was visible when the gap was first seen, so it is shown; 15 came
        // later, behind a gap (14) of its own, so it waits its own patience.
        #expect(position.advance(with: Self.entries([13, 15]), now: start + .seconds(3)).map(\.cursor) == [13])
        #expect(position.cursor == 13)
        #expect(position.advance(with: Self.entries([15]), now: start + .seconds(5)).isEmpty)
        #expect(position.advance(with: Self.entries([15, 16]), now: start + .seconds(6)).map(\.cursor) == [15, 16])
    }

    @Test func manyHolesFromOneDeletionCostOnePatience() {
        let start = ContinuousClock.now
        var position = AttemptFeedPosition(after: 0, patience: .seconds(3))
        // An endpoint deleted with its attempts leaves every other sequence missing.
        let survivors: [Int64] = Array(stride(from: 2, through: 200, by: 2))
        #expect(position.advance(with: Self.entries(survivors), now: start).isEmpty)
        #expect(position.advance(with: Self.entries(survivors), now: start + .seconds(3)).map(\.cursor) == survivors)
    }

    @Test func aStartPastTheEndShowsOnlyNewerAttempts() {
        var position = AttemptFeedPosition(after: 7)
        #expect(position.advance(with: Self.entries([8, 9]), now: .now).map(\.cursor) == [8, 9])
        var fromNegative = AttemptFeedPosition(after: -5)
        #expect(fromNegative.cursor == 0)
        #expect(fromNegative.advance(with: Self.entries([1]), now: .now).map(\.cursor) == [1])
    }
}
