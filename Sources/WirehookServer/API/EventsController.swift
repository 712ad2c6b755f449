import Foundation
import Hummingbird
import WirehookCore

/// `POST /events`: accept one event (or a JSON array of up to 1000) and answer once it is on disk.
struct EventsController<Context: RequestContext> {
    let ingest: IngestQueue
    let catalog: EventCatalog
    let time: TimeSource
    let bodies: BodyReader

    static var maxBatch: Int { 1000 }

    func addRoutes(to router: some RouterMethods<Context>) {
        router.post("/events") { request, _ in try await accept(request) }
    }

    func accept(_ request: Request) async throws -> Response {
        let (body, bytes) = try await bodies.json(request)
        let now = time.now()
        if case .array(let elements) = body {
            guard !elements.isEmpty, elements.count <= Self.maxBatch else {
                throw WirehookError.invalid("a batch holds 1 to \(Self.maxBatch) events")
            }
            var submissions: [NewEvent] = []
            for (index, element) in elements.enumerated() {
                do {
                    submissions.append(try Self.submission(from: element, now: now, catalog: catalog))
                } catch let error as WirehookError {
                    throw WirehookError(error.code, "event \(index): \(error.message)")
                }
            }
            let outcomes = try await ingest.submit(submissions, bytes: bytes)
            return JSONResponse.make(
                .accepted,
                [
                    "success": true,
                    "events": .array(
                        outcomes.map {
                            ["id": .string($0.eventID), "deliveries": .int($0.deliveries), "duplicate": .bool($0.duplicate)]
                        }),
                ])
        }
        let submission = try Self.submission(from: body, now: now, catalog: catalog)
        guard let outcome = try await ingest.submit([submission], bytes: bytes).first else {
            throw WirehookError(.internalError, "the event was not stored")
        }
        // A duplicate reports the stored event's id only: this request's type may differ from it.
        let event: JSONValue =
            outcome.duplicate
            ? ["id": .string(outcome.eventID)] : ["id": .string(outcome.eventID), "type": .string(submission.event.type)]
        var members: [JSONMember] = [
            JSONMember("success", true),
            JSONMember("event", event),
            JSONMember("deliveries", .int(outcome.deliveries)),
        ]
        if outcome.duplicate { members.append(JSONMember("duplicate", true)) }
        return JSONResponse.make(.accepted, .object(members))
    }

    /// A type in any dialect's spelling of a catalog event becomes the canonical name; other valid
    /// names pass through as custom events.
    static func submission(from value: JSONValue, now: Date, catalog: EventCatalog) throws -> NewEvent {
        let fields = try Fields(value)
        guard let type = try fields.string("type", maxLength: 200) else {
            throw WirehookError.invalid("'type' is required, e.g. \"user.created\"")
        }
        guard EventType.isValid(type) else {
            throw WirehookError.invalid("'type' must be dotted words of letters, digits, '_' or '-'")
        }
        let data = fields.value("data") ?? .object([])
        if let problem = EventDataRules.problem(in: data, path: "data") { throw WirehookError.invalid(problem) }
        var occurredAt = now
        if let raw = fields.value("occurred_at"), !raw.isNull {
            switch raw {
            case .string(let text):
                guard let date = Timestamp.parse(text) else {
                    throw WirehookError.invalid("'occurred_at' must be an RFC 3339 timestamp or unix seconds")
                }
                occurredAt = date
            case .number:
                guard let seconds = raw.doubleValue, seconds >= 0, seconds < 1e11 else {
                    throw WirehookError.invalid("'occurred_at' must be an RFC 3339 timestamp or unix seconds")
                }
                occurredAt = Date(timeIntervalSince1970: seconds)
            default:
                throw WirehookError.invalid("'occurred_at' must be an RFC 3339 timestamp or unix seconds")
            }
        }
        let id: String
        let supplied: Bool
        if let given = try fields.string("id", maxLength: Event.maxIDLength) {
            guard !given.isEmpty, given.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw WirehookError.invalid(
                    "'id' must be 1 to \(Event.maxIDLength) printable ASCII characters without spaces")
            }
            id = given
            supplied = true
        } else {
            id = Identifier.make(prefix: "evt_", at: now)
            supplied = false
        }
        return NewEvent(
            event: Event(
                id: id, type: catalog.resolve(type)?.name ?? type, occurredAt: occurredAt, data: data, source: "api"),
            callerSuppliedID: supplied)
    }
}
