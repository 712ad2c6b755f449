import ServiceLifecycle

/// Marks the process as not ready as soon as a graceful shutdown starts.
///
/// It is the last service of the group, so the group tells it first (services stop in reverse
/// order) and `/readyz` answers 503 while the listener still drains.
struct ShutdownNotice: Service {
    let readiness: Readiness
    /// Time for load balancers to see the 503 and stop sending requests.
    let grace: Duration

    func run() async throws {
        // Cancellation ends this too; either way the process is on its way out.
        let asked = (try? await gracefulShutdown()) != nil
        readiness.markStopping()
        if asked { try? await Task.sleep(for: grace) }
    }
}
