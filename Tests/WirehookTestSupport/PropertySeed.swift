#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Case seeds for hostile-input properties: the seed every failure names, and the way to rerun it.
///
/// A failed expectation is reported by the property library with its input, whose description
/// names the case seed. A trap ends the process before any report, so the seed of every case in
/// flight is also kept where a SIGILL/SIGTRAP handler can write it to standard error.
public enum PropertySeed {
    /// Set to a case seed (hex) to run only that case.
    public static let variable = "WIREHOOK_PROPERTY_SEED"

    /// The one seed to rerun, when the variable is set.
    public static var fixed: UInt64? {
        guard let text = getenv(variable).map({ String(cString: $0) }), !text.isEmpty else { return nil }
        let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
        return UInt64(digits, radix: 16)
    }

    public static func hex(_ seed: UInt64) -> String {
        let digits = String(seed, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Runs `body` with `seed` noted for the crash report under `property`'s name.
    public static func running<T>(
        _ property: String, seed: UInt64, _ body: () async throws -> T
    ) async rethrows -> T {
        let slot = CrashReport.shared.begin("\(property): case seed \(hex(seed)); rerun it with \(variable)=\(hex(seed))")
        defer { CrashReport.shared.end(slot) }
        return try await body()
    }
}
