#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Lines written to standard error if the process traps (Swift's overflow and bounds checks raise
/// SIGILL on x86-64 and SIGTRAP on arm64), so a crash names the property case that caused it.
///
/// The lines live in preallocated memory: a signal handler may only call `write(2)`.
final class CrashReport: Sendable {
    static let shared = CrashReport()
    static let slotCount = 16
    static let slotSize = 512

    private let claimed = Mutex<[Bool]>(Array(repeating: false, count: CrashReport.slotCount))

    private init() {
        Self.installHandlers()
    }

    /// Notes `line` until `end`; returns the slot, or nil when every slot is busy.
    func begin(_ line: String) -> Int? {
        guard let slot = claimed.withLock({ slots -> Int? in
            guard let free = slots.firstIndex(of: false) else { return nil }
            slots[free] = true
            return free
        }) else { return nil }
        let bytes = Array("wirehook property crashed in \(line)\n".utf8.prefix(Self.slotSize - 1))
        let base = crashLines.advanced(by: slot * Self.slotSize)
        for (i, byte) in bytes.enumerated() { base[i] = byte }
        base[bytes.count] = 0
        return slot
    }

    func end(_ slot: Int?) {
        guard let slot else { return }
        crashLines[slot * Self.slotSize] = 0
        claimed.withLock { $0[slot] = false }
    }

    private static func installHandlers() {
        for (index, signal) in trapSignals.enumerated() {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = crashHandler
            #else
            action.__sigaction_handler.sa_handler = crashHandler
            #endif
            sigaction(signal, &action, previousActions.advanced(by: index))
        }
    }
}

private let trapSignals: [Int32] = [SIGILL, SIGTRAP]

/// The handlers that were there before (Swift's backtracer), put back once the lines are out.
nonisolated(unsafe) private let previousActions: UnsafeMutablePointer<sigaction> = {
    let pointer = UnsafeMutablePointer<sigaction>.allocate(capacity: 2)
    pointer.initialize(repeating: sigaction(), count: 2)
    return pointer
}()

/// Preallocated so the handler touches no allocator.
nonisolated(unsafe) private let crashLines: UnsafeMutablePointer<UInt8> = {
    let size = CrashReport.slotCount * CrashReport.slotSize
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    pointer.initialize(repeating: 0, count: size)
    return pointer
}()

private func crashHandler(_ signal: Int32) {
    for slot in 0..<CrashReport.slotCount {
        let base = crashLines.advanced(by: slot * CrashReport.slotSize)
        guard base[0] != 0 else { continue }
        _ = write(2, base, strlen(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)))
    }
    // Returning re-runs the trapping instruction, which now reaches the previous handler (the
    // runtime's backtrace) or the default action, so the crash itself is reported as before.
    let index = signal == SIGILL ? 0 : 1
    sigaction(signal, previousActions.advanced(by: index), nil)
}
