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
