/// The formats an endpoint can choose, by name.
public struct FormatRegistry: Sendable {
    private var formats: [String: any WebhookFormat]
    public private(set) var names: [String]

    public init(_ formats: [any WebhookFormat]) {
        self.formats = Dictionary(formats.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.names = formats.map(\.name)
    }

    public static let standard = FormatRegistry([StandardFormat(), VPNEnterpriseFormat()])

    public subscript(name: String) -> (any WebhookFormat)? { formats[name] }
}
