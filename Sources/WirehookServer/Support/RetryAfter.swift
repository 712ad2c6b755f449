/// `Retry-After` values for 503 answers: whole seconds, at least one.
enum RetryAfter {
    /// For a 503 that did not say how long to wait.
    static let fallback: Duration = .seconds(5)

    static func header(_ wait: Duration) -> String {
        let seconds = wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0)
        return String(max(1, seconds))
    }
}
