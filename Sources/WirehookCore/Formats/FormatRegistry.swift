/// The formats an endpoint can choose, by name.
public struct FormatRegistry: Sendable {
    private var formats: [String: any WebhookFormat]
    public private(set) var names: [String]

    public init(_ formats: [any WebhookFormat]) {
        self.formats = Dictionary(formats.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.names = formats.map(\.name)
    }

    /// Every built-in dialect. Adding one means one file plus a line here.
    public static let standard = FormatRegistry([
        StandardFormat(), RemnawaveFormat(), MarzbanFormat(), WGPortalFormat(), VPNEnterpriseFormat(),
        DiscordFormat(), TelegramFormat(),
    ])

    public subscript(name: String) -> (any WebhookFormat)? { formats[name] }
}
