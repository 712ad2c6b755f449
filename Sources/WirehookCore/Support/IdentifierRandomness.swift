/// Random bits for identifiers, drawn from the system once and stretched with xoshiro256**.
///
/// `SystemRandomNumberGenerator` asks the kernel (`getrandom`) on every call: two system calls
/// per identifier. An ingest batch names every delivery inside SQLite's single writer, where
/// those calls were a fifth of the writer's time (BENCHMARKS.md, change 25). Identifiers need to
/// be unique, not secret (every read of one needs a key), and 80 bits from a generator seeded
/// with 256 fresh bits, beside the millisecond, keep them unique.
public struct IdentifierRandomness: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: (system.next(), system.next(), system.next(), system.next()))
    }

    /// A fixed seed, for tests. An all-zero state would only ever give zeros.
    public init(seed: (UInt64, UInt64, UInt64, UInt64)) {
        state = seed == (0, 0, 0, 0) ? (0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB, 1) : seed
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }
}
