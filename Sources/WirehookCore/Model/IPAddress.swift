#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its network-order bytes, parsed from every spelling a URL host or
/// `getaddrinfo` accepts, so the SSRF guard judges the address a connection would really reach.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// Parses a host as written in a URL: `[v6]` or bare v6 (a `%zone` is dropped), or IPv4 in any
    /// form `inet_aton` takes (`2130706433`, `0x7f.0.0.1`, `017700000001`, `127.1`), because that
    /// is what the resolver hands to `connect` for such a "name".
    public init?(host: String) {
        var text = Substring(host)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        // A fully qualified "127.0.0.1." still reaches 127.0.0.1 through the resolver.
        if text.hasSuffix("."), !text.contains(":") { text = text.dropLast() }
        if text.contains(":") {
            if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
            guard let bytes = Self.parseIPv6(String(text)) else { return nil }
            self.bytes = bytes
        } else {
            guard let value = Self.parseIPv4(text) else { return nil }
            self.bytes = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
    }

    /// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`),
    /// NAT64 (`64:ff9b::a.b.c.d`) or 6to4 (`2002:aabb:ccdd::`) IPv6 address: each reaches, or is
    /// routed to, that IPv4 host.
    public var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let head = bytes[0..<10]
        if head.allSatisfy({ $0 == 0 }) {
            if bytes[10] == 0xFF, bytes[11] == 0xFF { return IPAddress(bytes: Array(bytes[12..<16])) }
            // `::` and `::1` are IPv6's own unspecified and loopback addresses, not compatible forms.
            if bytes[10] == 0, bytes[11] == 0, bytes[12..<15].contains(where: { $0 != 0 }) {
                return IPAddress(bytes: Array(bytes[12..<16]))
            }
        }
        if bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {
            return IPAddress(bytes: Array(bytes[12..<16]))
        }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return IPAddress(bytes: Array(bytes[2..<6])) }
        return nil
    }

    /// True when the first `prefix` bits equal `network`'s.
    public func isIn(_ network: IPAddress, prefix: Int) -> Bool {
        guard network.bytes.count == bytes.count, prefix >= 0, prefix <= bytes.count * 8 else { return false }
        var remaining = prefix
        for index in bytes.indices where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != network.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var storage = in6_addr()
        withUnsafeMutableBytes(of: &storage) { raw in
            for index in 0..<16 { raw[index] = bytes[index] }
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &storage, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `inet_aton`'s grammar: one to four parts, each decimal, octal (leading 0) or hex (0x); the
    /// last part fills the bytes the others leave.
    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = parseNumber(part) else { return nil }
            values.append(value)
        }
        var result: UInt64 = 0
        for (index, value) in values.dropLast().enumerated() {
            guard value <= 0xFF else { return nil }
            result |= value << (8 * UInt64(3 - index))
        }
        let lastBits = 8 * (5 - values.count)
        guard let last = values.last, last < (UInt64(1) << UInt64(lastBits)) else { return nil }
        return UInt32(truncatingIfNeeded: result | last)
    }

    /// One `inet_aton` part; nil for anything else, including values past 32 bits.
    static func parseNumber(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.utf8.count <= 34 else { return nil }
        var digits = part
        var radix: UInt64 = 10
        if part.lowercased().hasPrefix("0x") {
            digits = part.dropFirst(2)
            radix = 16
            // inet_aton reads a bare "0x" as zero.
            if digits.isEmpty { return 0 }
        } else if part.hasPrefix("0"), part.count > 1 {
            digits = part.dropFirst()
            radix = 8
        }
        var value: UInt64 = 0
        for character in digits {
            guard let digit = character.hexDigitValue, UInt64(digit) < radix else { return nil }
            value = value * radix + UInt64(digit)
            if value > UInt64(UInt32.max) { return nil }
        }
        return value
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var storage = in6_addr()
        guard inet_pton(AF_INET6, text, &storage) == 1 else { return nil }
        return withUnsafeBytes(of: storage) { Array($0) }
    }
}
