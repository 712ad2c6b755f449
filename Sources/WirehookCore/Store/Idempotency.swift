/// How long an event id is remembered: a resend within this window is acknowledged as a
/// duplicate and not delivered again.
public enum Idempotency {
    public static let window: Duration = .seconds(86_400)
}
