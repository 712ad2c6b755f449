import OpenAPIKit
import WirehookCore

/// One operation of the HTTP API as the contract states it: route, credential, input and answers.
///
/// The error answers every operation shares are derived here from what it is (it reads a body,
/// it needs a credential), so each operation lists only the answers particular to it.
struct ContractOperation: Sendable {
    /// What a caller proves to be let in.
    enum Access: Sendable {
        /// Nothing: the service's own health and this contract.
        case open
        /// `Authorization: Bearer` with the admin token or an API key holding `scope`; any valid
        /// key when `scope` is nil.
        case bearer(APIScope?)
        /// A panel's own proof, checked against its `WIREHOOK_SOURCE_*` secret (never the admin
        /// token); a panel whose secret is not configured gets a 404.
        case panel(PanelProof)
    }

    var method: OpenAPI.HttpMethod
    /// In OpenAPI's spelling, `/webhooks/{id}`.
    var path: String
    var operationID: String
    var tag: String
    var summary: String
    var description: String? = nil
    var access: Access
    var parameters: [OpenAPI.Parameter] = []
    var requestBody: OpenAPI.Request? = nil
    /// The answers that are not errors.
    var successes: OpenAPI.Response.Map
    /// Errors particular to this operation, beyond those derived from its access and body.
    var errors: [ErrorStatus] = []

    /// Every error status this operation answers, in status order.
    var errorStatuses: [ErrorStatus] {
        // The HTTP parser's refusals (bad header characters, broken framing, oversized headers)
        // come before any route and so belong to every operation.
        var statuses: Set<ErrorStatus> = [.badRequest, .headersTooLarge]
        switch access {
        case .open: break
        case .bearer(let scope):
            statuses.insert(.unauthorized)
            if scope != nil { statuses.insert(.forbidden) }
        case .panel:
            statuses.formUnion([.unauthorized, .notFound])
        }
        if requestBody != nil {
            // Malformed JSON, a body over the limit, no free parse slot, a field that is wrong.
            statuses.formUnion([.badRequest, .payloadTooLarge, .unavailable, .unprocessable])
        }
        statuses.formUnion(errors)
        return ErrorStatus.allCases.filter(statuses.contains)
    }

    var openAPIOperation: OpenAPI.Operation {
        var responses = successes
        for status in errorStatuses {
            responses[status.statusCode] = .reference(.component(named: status.componentName))
        }
        return OpenAPI.Operation(
            tags: [tag], summary: summary, description: description, operationId: operationID,
            parameters: parameters.map { .parameter($0) }, requestBody: requestBody, responses: responses,
            security: securityRequirements)
    }

    /// An empty list says "no credential", overriding nothing: the document sets no global default.
    var securityRequirements: [OpenAPI.SecurityRequirement] {
        switch access {
        case .open:
            return []
        case .bearer(let scope):
            return [[.component(named: ContractSecurity.bearer): scope.map { [$0.rawValue] } ?? []]]
        case .panel(let proof):
            return [[.component(named: proof.schemeName): []]]
        }
    }
}

extension ContractOperation {
    /// A JSON answer; `links` name the operations that take a value from it (schemathesis follows
    /// them to reach real ids).
    static func json(
        _ description: String, _ schema: JSONSchema, headers: OpenAPI.Header.Map? = nil, links: OpenAPI.Link.Map = [:]
    ) -> Either<OpenAPI.Reference<OpenAPI.Response>, OpenAPI.Response> {
        .response(
            description: description, headers: headers, content: [.json: .content(OpenAPI.Content(schema: schema))],
            links: links)
    }

    /// A JSON request body.
    static func body(_ schema: JSONSchema, required: Bool = true, description: String? = nil, example: AnyCodable? = nil)
        -> OpenAPI.Request
    {
        OpenAPI.Request(
            description: description, content: [.json: .content(OpenAPI.Content(schema: schema, example: example))],
            required: required)
    }

    /// Links to `operationIDs`, each given the path parameters named in `parameters` as JSON
    /// pointers into this answer's body.
    static func links(to operationIDs: [String], _ parameters: [String: String]) -> OpenAPI.Link.Map {
        var links: OpenAPI.Link.Map = [:]
        for operationID in operationIDs {
            var values: OrderedDictionary<String, Either<OpenAPI.RuntimeExpression, AnyCodable>> = [:]
            for (name, pointer) in parameters.sorted(by: { $0.key < $1.key }) {
                // The pointers are constants below; a malformed one would be a programming error.
                guard let expression = OpenAPI.RuntimeExpression(rawValue: "$response.body#" + pointer) else {
                    preconditionFailure("not a runtime expression: \(pointer)")
                }
                values[name] = .a(expression)
            }
            links[operationID] = .b(OpenAPI.Link(operationId: operationID, parameters: values))
        }
        return links
    }

    static func pathID(_ name: String, _ description: String) -> OpenAPI.Parameter {
        .path(name: name, schema: ContractSchemas.id, description: description)
    }
}
