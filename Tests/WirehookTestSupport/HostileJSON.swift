/// Writes JSON text (and some near-JSON) with the values that break webhook services: integer
/// limits, ±0, exponents past a double, 400+ digit literals, every escape, lone surrogates,
/// astral characters, huge strings, nesting at the parser's limit, empty and duplicate keys.
///
/// Text, not `JSONValue`, so spellings (`\u00e9` or `é`, `\/`, whitespace) vary too. Some cases
/// are invalid on purpose (a lone surrogate escape, a raw control character, nesting past the
/// limit): a service must answer those with a clean 4xx.
public struct HostileJSON {
    /// The parser's nesting limit; deep cases aim at it from both sides.
    public static let parserDepth = 64

    var rng: SplitMix64
    var out: [UInt8] = []
    let hugeStrings: Bool

    public static func event(seed: UInt64, hugeStrings: Bool) -> HostileEvent {
        var generator = HostileJSON(rng: SplitMix64(seed: seed), hugeStrings: hugeStrings)
        return generator.makeEvent(seed: seed)
    }

    static let types = [
        "user.expiration", "user.expiration", "user.created", "user.modified", "user.expired", "node.created",
        "reached_days_left", "peer.updated", "billing.invoice.paid", "custom.thing_happened",
    ]

    static let extremeIntegers = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "384307168202282325", "-384307168202282326", "4294967295", "2147483648", "0", "-0",
    ]

    static let overflowingDays = [
        "9223372036854775807", "-9223372036854775808", "384307168202282326", "-384307168202282326",
    ]

    static let extremeNumbers = [
        "-0.0", "0.0", "0e0", "-0e-0", "1e400", "-1e400", "1e-400", "-1e-400", "1E+308", "1.7976931348623157e308",
        "1.7976931348623159e308", "-1.7976931348623157e308", "4.9e-324", "2.5e-324", "5e-324", "1.0", "1.50",
        "123456789012345678901234567890", "0.1", "1e21", "1e-7", "100000000000000000000", "9007199254740993",
    ]

    mutating func makeEvent(seed: UInt64) -> HostileEvent {
        let type = rng.pick(Self.types)
        out = []
        var first = true
        // Usually the field that once killed the server, with a value that overflows `* 24`.
        if rng.chance(60) {
            key("days_left")
            space()
            colon()
            space()
            // Half of them overflow `days * 24` in 64-bit integers, so a short run finds that trap.
            out += (rng.chance(50) ? rng.pick(Self.overflowingDays) : rng.pick(Self.extremeIntegers + Self.extremeNumbers)).utf8
            first = false
        }
        if rng.chance(40) {
            if !first { comma() }
            key("username")
            colon()
            string(maxPieces: 6)
            first = false
        }
        let extra = Int.random(in: 0...4, using: &rng)
        for _ in 0..<extra {
            if !first { comma() }
            member(depth: 2)
            first = false
        }
        if rng.chance(10) {
            if !first { comma() }
            key(rng.pick(["deep", "", "days_left"]))
            colon()
            // Data sits at depth 1 of the event; aim at the limit from just inside and just past it.
            nest(levels: Int.random(in: (Self.parserDepth - 6)...(Self.parserDepth + 1), using: &rng))
            first = false
        }
        let members = out
        var data = Array("{".utf8) + members + Array("}".utf8)
        if rng.chance(8) {
            out = []
            value(depth: 1)
            data = out
        }
        return HostileEvent(seed: seed, type: type, membersText: members, dataText: data)
    }

    mutating func member(depth: Int) {
        let keys = ["", "a", "a", "days_left", "username", "0", "1", "10", "4294967294", "4294967295", "01", "__proto__",
            "é", "\\u00e9", "k\\\"q", "🚀", "status"]
        key(rng.pick(keys))
        space()
        colon()
        space()
        value(depth: depth)
    }

    mutating func value(depth: Int) {
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case 0..<25: number()
        case 25..<50: string(maxPieces: 12)
        case 50..<55: out += rng.pick(["true", "false", "null"]).utf8
        case 55..<78 where depth < 8:
            out.append(UInt8(ascii: "["))
            let count = Int.random(in: 0...4, using: &rng)
            for i in 0..<count {
                if i > 0 { comma() }
                space()
                value(depth: depth + 1)
            }
            out.append(UInt8(ascii: "]"))
        case 78..<100 where depth < 8:
            out.append(UInt8(ascii: "{"))
            let count = Int.random(in: 0...4, using: &rng)
            for i in 0..<count {
                if i > 0 { comma() }
                member(depth: depth + 1)
            }
            out.append(UInt8(ascii: "}"))
        default: number()
        }
    }

    mutating func number() {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<3: out += rng.pick(Self.extremeIntegers).utf8
        case 3..<6: out += rng.pick(Self.extremeNumbers).utf8
        case 6:
            // 400 to 600 digits: past a double's range, and sometimes past the parser's 512 bytes.
            out += (rng.chance(50) ? "-" : "").utf8
            out.append(UInt8(ascii: "1") + UInt8(Int.random(in: 0...8, using: &rng)))
            for _ in 0..<Int.random(in: 400...600, using: &rng) {
                out.append(UInt8(ascii: "0") + UInt8(Int.random(in: 0...9, using: &rng)))
            }
        case 7: out += "\(Int64.random(in: .min ... .max, using: &rng))".utf8
        case 8:
            let bits = rng.next()
            let double = Double(bitPattern: bits)
            out += (double.isFinite ? "\(double)" : "1e308").utf8
        default: out += "\(Int.random(in: -1000...1000, using: &rng))".utf8
        }
    }

    mutating func string(maxPieces: Int) {
        out.append(UInt8(ascii: "\""))
        if hugeStrings, rng.chance(3) {
            // 1 MiB of text, mostly ASCII with some two-byte characters.
            let piece = Array("abcdefghijklmnopqrstuvwxyz0123456789 ÿé/".utf8)
            while out.count < (1 << 20) { out += piece }
        }
        let pieces: [String] = [
            "plain", "ivan_пример", "🚀", "😀", "\\ud83d\\ude00", "\\u00e9", "é", "\\/", "/", "\\\"", "\\\\", "\\b",
            "\\f", "\\n", "\\r", "\\t", "\\u0000", "\\u001f", "\\u007f", "\u{7f}", "\\u2028", "\u{2028}", "<&>",
            "\\u003c", "a b", "\\uFFFF", "\\uffff", "\u{10FFFF}", "𝄞",
        ]
        for _ in 0..<Int.random(in: 0...maxPieces, using: &rng) {
            out += rng.pick(pieces).utf8
        }
        // Rarely, what no valid JSON holds: a lone surrogate escape or a raw control character.
        if rng.chance(4) { out += rng.pick(["\\ud800", "\\udc00", "\\ud800x", "\u{01}", "\\x", "\\u12"]).utf8 }
        out.append(UInt8(ascii: "\""))
    }

    mutating func nest(levels: Int) {
        var closers: [UInt8] = []
        for _ in 0..<levels {
            if rng.chance(50) {
                out.append(UInt8(ascii: "["))
                closers.append(UInt8(ascii: "]"))
            } else {
                out += #"{"":"#.utf8
                closers.append(UInt8(ascii: "}"))
            }
        }
        number()
        out += closers.reversed()
    }

    mutating func key(_ name: String) {
        out.append(UInt8(ascii: "\""))
        out += name.utf8
        out.append(UInt8(ascii: "\""))
    }

    mutating func colon() { out.append(UInt8(ascii: ":")) }
    mutating func comma() { out.append(UInt8(ascii: ",")) }

    /// JSON's four whitespace characters, now and then.
    mutating func space() {
        if rng.chance(15) { out += rng.pick([" ", "\n", "\t", "\r\n ", "  "]).utf8 }
    }
}
