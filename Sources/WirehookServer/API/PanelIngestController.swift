import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WirehookCore
import WirehookVerify

/// `/ingest/remnawave`, `/ingest/marzban`, `/ingest/wg-portal`: point a panel at Wirehook unchanged.
/// Each checks the panel's own proof against the configured source secret (not the admin token).
struct PanelIngestController<Context: RequestContext> {
    let sources: SourceSecrets
    let normalizer: PanelNormalizer
    /// The replay window for signed bodies that carry their own time (Remnawave).
    let tolerance: Duration
    let ingest: IngestQueue
    let time: TimeSource
    let bodies: BodyReader
    let logger: Logger

    func addRoutes(to router: Router<Context>) {
        router.post("/ingest/remnawave") { request, _ in try await remnawave(request) }
        router.post("/ingest/marzban") { request, _ in try await marzban(request) }
        router.post("/ingest/wg-portal") { request, _ in try await wgPortal(request) }
    }

    func remnawave(_ request: Request) async throws -> Response {
        let secret = try configured(sources.remnawave, "Remnawave", "WIREHOOK_SOURCE_REMNAWAVE_SECRET")
        guard let signature = request.headers[HTTPField.Name("X-Remnawave-Signature")!] else {
            throw WirehookError(.unauthorized, "missing X-Remnawave-Signature")
        }
        let (event, bytes) = try await bodies.raw(request) { raw in
            let expected = HMACSignature.hex(secret: secret, message: raw)
            guard HMACSignature.constantTimeEquals(Array(signature.lowercased().utf8), Array(expected.utf8)) else {
                throw WirehookError(.unauthorized, "X-Remnawave-Signature does not match the body")
            }
            let body = try parse(raw)
            let now = time.now()
            if let problem = PanelNormalizer.remnawaveReplayProblem(body, now: now, tolerance: tolerance) {
                throw WirehookError(.unauthorized, problem)
            }
            return (try normalizer.remnawave(body, raw: raw, now: now), raw.count)
        }
        return try await accept([event], bytes: bytes)
    }

    func marzban(_ request: Request) async throws -> Response {
        let secret = try configured(sources.marzban, "Marzban", "WIREHOOK_SOURCE_MARZBAN_SECRET")
        guard let provided = request.headers[HTTPField.Name("x-webhook-secret")!] else {
            throw WirehookError(.unauthorized, "missing x-webhook-secret")
        }
        guard HMACSignature.constantTimeEquals(Array(provided.utf8), Array(secret.utf8)) else {
            throw WirehookError(.unauthorized, "x-webhook-secret does not match")
        }
        let (events, bytes) = try await bodies.raw(request) { raw in
            (try normalizer.marzban(try parse(raw), now: time.now()), raw.count)
        }
        return try await accept(events, bytes: bytes, window: PanelNormalizer.marzbanIdempotencyWindow)
    }

    func wgPortal(_ request: Request) async throws -> Response {
        let secret = try configured(sources.wgPortal, "wg-portal", "WIREHOOK_SOURCE_WGPORTAL_AUTH")
        guard let provided = request.headers[.authorization] else {
            throw WirehookError(.unauthorized, "missing Authorization")
        }
        guard HMACSignature.constantTimeEquals(Array(provided.utf8), Array(secret.utf8)) else {
            throw WirehookError(.unauthorized, "Authorization does not match")
        }
        let (event, bytes) = try await bodies.raw(request) { raw in
            (try normalizer.wgPortal(try parse(raw), raw: raw, now: time.now()), raw.count)
        }
        return try await accept([event], bytes: bytes, deduplicate: false)
    }

    func configured(_ secret: String?, _ panel: String, _ variable: String) throws -> String {
        guard let secret, !secret.isEmpty else {
            throw WirehookError(.notFound, "\(panel) ingest is not configured: set \(variable)")
        }
        return secret
    }

    func parse(_ raw: [UInt8]) throws -> JSONValue {
        do {
            return try JSONParser.parse(raw)
        } catch {
            throw WirehookError(.malformedJSON, "body is not valid JSON: \(error)")
        }
    }

    /// `deduplicate`: the ids come from the panel's own event identity, so a resend is accepted
    /// once within `window` (the usual 24 hours when nil).
    func accept(_ events: [Event], bytes: Int, deduplicate: Bool = true, window: Duration? = nil) async throws
        -> Response
    {
        let outcomes = try await ingest.submit(
            events.map { NewEvent(event: $0, callerSuppliedID: deduplicate, idempotencyWindow: window) }, bytes: bytes)
        for (event, outcome) in zip(events, outcomes) where normalizer.catalog.entry(event.type) == nil {
            logger.notice(
                "Accepted a custom event from a panel",
                metadata: ["event.type": "\(event.type)", "event.source": "\(event.source)", "event.id": "\(outcome.eventID)"])
        }
        return JSONResponse.make(
            .ok,
            [
                "success": true,
                "events": .array(
                    zip(events, outcomes).map { event, outcome in
                        [
                            "id": .string(outcome.eventID), "type": .string(event.type),
                            "custom": .bool(normalizer.catalog.entry(event.type) == nil),
                            "deliveries": .int(outcome.deliveries), "duplicate": .bool(outcome.duplicate),
                        ]
                    }),
            ])
    }
}

/// The secrets panels prove themselves with when they post to `/ingest/…`.
public struct SourceSecrets: Sendable {
    public var remnawave: String?
    public var marzban: String?
    public var wgPortal: String?

    public init(remnawave: String? = nil, marzban: String? = nil, wgPortal: String? = nil) {
        self.remnawave = remnawave
        self.marzban = marzban
        self.wgPortal = wgPortal
    }
}
