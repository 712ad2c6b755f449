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
        for signal in [SIGILL, SIGTRAP] {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = crashHandler
            #else
            action.__sigaction_handler.sa_handler = crashHandler
            #endif
            action.sa_flags = Int32(SA_RESETHAND)
            sigaction(signal, &action, nil)
        }
    }
}

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
    // SA_RESETHAND restored the default action: raising again ends the process as the trap would.
    raise(signal)
}
