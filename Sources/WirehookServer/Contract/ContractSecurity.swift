import OpenAPIKit
import WirehookCore

/// The credentials the API knows: the bearer token (admin token or scoped API key) and the
/// panels' own proofs on `/ingest/…`.
enum ContractSecurity {
    static let bearer = "bearer"

    static var schemes: OpenAPI.ComponentReferenceDictionary<OpenAPI.SecurityScheme> {
        var schemes: OpenAPI.ComponentReferenceDictionary<OpenAPI.SecurityScheme> = [
            .init(stringLiteral: bearer): .securityScheme(
                .http(
                    scheme: "bearer",
                    description: "The admin token (every scope) or an API key (`whk_…`). An operation's "
                        + "security requirement names the scope a key needs: "
                        + APIScope.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
                        + "; none named means any valid key. A key without the scope gets 403."))
        ]
        for proof in PanelProof.allCases {
            schemes[.init(stringLiteral: proof.schemeName)] = .securityScheme(
                .apiKey(name: proof.header, location: .header, description: proof.description))
        }
        return schemes
    }
}

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
