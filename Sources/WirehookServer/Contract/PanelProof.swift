/// How a panel proves a webhook it posts to `/ingest/…` is its own.
enum PanelProof: CaseIterable, Sendable {
    case remnawaveSignature
    case marzbanSecret
    case wgPortalAuthorization

    var schemeName: String {
        switch self {
        case .remnawaveSignature: "remnawaveSignature"
        case .marzbanSecret: "marzbanSecret"
        case .wgPortalAuthorization: "wgPortalAuthorization"
        }
    }

    var header: String {
        switch self {
        case .remnawaveSignature: "X-Remnawave-Signature"
        case .marzbanSecret: "x-webhook-secret"
        case .wgPortalAuthorization: "Authorization"
        }
    }

    var description: String {
        switch self {
        case .remnawaveSignature:
            "Hex HMAC-SHA256 of the body with WIREHOOK_SOURCE_REMNAWAVE_SECRET. The body's own `timestamp` "
                + "must be within WIREHOOK_SOURCE_TOLERANCE (default 10m) of now."
        case .marzbanSecret: "Equals WIREHOOK_SOURCE_MARZBAN_SECRET."
        case .wgPortalAuthorization: "Equals WIREHOOK_SOURCE_WGPORTAL_AUTH (the whole header value)."
        }
    }
}
