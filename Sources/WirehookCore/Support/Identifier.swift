import struct Foundation.Date

/// Generates prefixed, time-ordered identifiers (`evt_`, `del_`, `wh_` + a 26-character ULID).
public enum Identifier {
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public static func make(prefix: String, at date: Date = Date()) -> String {
        var rng = SystemRandomNumberGenerator()
        return make(prefix: prefix, at: date, using: &rng)
    }

    public static func make(prefix: String, at date: Date, using rng: inout some RandomNumberGenerator) -> String {
        let ms = UInt64(max(0, Timestamp.milliseconds(date)))
        var random = rng.next() as UInt64
        var random2 = rng.next() as UInt64
        // Built in place: the identifiers of an ingest batch are made inside the database writer.
        let suffix = String(unsafeUninitializedCapacity: 26) { out in
            var time = ms
            for i in stride(from: 9, through: 0, by: -1) {
                out[i] = alphabet[Int(time & 31)]
                time >>= 5
            }
            for i in 10..<26 {
                if i < 18 {
                    out[i] = alphabet[Int(random & 31)]
                    random >>= 5
                } else {
                    out[i] = alphabet[Int(random2 & 31)]
                    random2 >>= 5
                }
            }
            return 26
        }
        return prefix + suffix
    }
}
