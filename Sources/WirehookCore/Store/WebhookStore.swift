/// Durable storage for endpoints, events, deliveries and attempts, as one value.
///
/// SQLite (embedded, one process) and PostgreSQL (many processes) implement every part; both pass
/// the same test suite. Each part is its own protocol so that a component asks only for what it
/// uses: the worker takes a `DeliveryQueue`, the API an `EndpointStore` and a `DeliveryLog`,
/// the auth middleware an `APIKeyStore`.
/// The rules (idempotency, fan-out rows, claim rounds, what an outcome writes) live in
/// WirehookCore; a store keeps only its SQL. Every method that returns is committed.
public typealias WebhookStore = EndpointStore & APIKeyStore & IngestStore & DeliveryQueue & DeliveryLog & StoreMaintenance
    & DashboardSessionStore
    & StoreInspection
