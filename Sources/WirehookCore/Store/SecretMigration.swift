import Logging

/// Brings every stored endpoint under the configured encryption key at start: plain text is
/// sealed, values under an older key in the list are sealed again under the first.
///
/// It also proves, before anything is sent, that every row opens: a row sealed under a key that
/// is not configured stops the start with an error naming `WIREHOOK_ENCRYPTION_KEY`, instead of
/// deliveries signed with garbage. One page of rows is read at a time and each row is written on
/// its own, so no statement grows with the table.
public enum SecretMigration {
    public static let pageSize = 200

    /// Returns how many rows were rewritten.
    @discardableResult
    public static func run(store: any EndpointStore, box: SecretBox, logger: Logger) async throws -> Int {
        if !box.isEnabled {
            logger.warning(
                "Endpoint secrets are stored in plain text; set \(SecretBox.environmentName) to encrypt them")
        }
        var after: String? = nil
        var rewritten = 0
        while true {
            let page = try await store.endpointSecrets(after: after, limit: pageSize)
            for columns in page {
                if let sealed = try columns.resealed(with: box) {
                    try await store.writeEndpointSecrets(sealed, replacing: columns)
                    rewritten += 1
                }
            }
            guard page.count == pageSize, let last = page.last else { break }
            after = last.id
        }
        if rewritten > 0 {
            logger.info("Encrypted endpoint secrets under the first configured key", metadata: ["endpoints.count": "\(rewritten)"])
        }
        return rewritten
    }
}
