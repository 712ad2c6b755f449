import Foundation
import Hummingbird
import WirehookCore

/// The newest deliveries of every endpoint. The page's script listens to the delivery stream and
/// redraws the table when an attempt finishes; without JavaScript the page refreshes itself.
extension Dashboard {
    /// Endpoints read per refresh, and deliveries per endpoint: the page stays bounded however
    /// many endpoints and deliveries there are.
    static var liveEndpointLimit: Int { 200 }
    static var liveRows: Int { 30 }

    func addLiveRoutes(to router: some RouterMethods<Context>) {
        router.get(
            "/ui/live",
            use: page(.webhooksRead) { _, _, visit in
                let rows = try await recentDeliveries()
                return await render(
                    "live", LiveView(prefix: prefix, rows: rows, empty: rows.isEmpty), title: "Live", visit: visit,
                    section: "live", refresh: 10)
            })
        // The API's delivery stream (`GET /deliveries/stream`, same filters and events), opened with
        // the session instead of a bearer token, which EventSource cannot send.
        router.get(
            "/ui/live/stream", use: page(.webhooksRead) { request, _, _ in try await stream.stream(request) })
        // Just the table's rows, for the page's script to swap in.
        router.get(
            "/ui/live/rows",
            use: page(.webhooksRead) { _, _, _ in
                let rows = try await recentDeliveries()
                var response = html(views.render("live-rows", LiveView(prefix: prefix, rows: rows, empty: rows.isEmpty)))
                response.headers[.cacheControl] = "no-store"
                return response
            })
    }

    func recentDeliveries() async throws -> [LiveRowView] {
        var all: [(Delivery, Endpoint)] = []
        for endpoint in try await store.endpoints().prefix(Self.liveEndpointLimit) {
            let page = try await store.deliveries(DeliveryQuery(endpointID: endpoint.id, limit: Self.liveRows))
            all += page.deliveries.map { ($0, endpoint) }
        }
        let newest = all.sorted { ($0.0.lastAttemptAt ?? $0.0.createdAt) > ($1.0.lastAttemptAt ?? $1.0.createdAt) }
            .prefix(Self.liveRows)
        return newest.map { delivery, endpoint in
            LiveRowView(
                time: Timestamp.iso8601(delivery.lastAttemptAt ?? delivery.createdAt),
                endpoint: endpoint.description.isEmpty ? endpoint.id : endpoint.description,
                endpointPath: "/ui/endpoints/\(Self.pathSegment(endpoint.id))",
                delivery: DeliveryRowView(delivery, endpointPath: Self.pathSegment(endpoint.id)))
        }
    }
}
