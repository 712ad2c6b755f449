import Foundation

/// Which addresses deliveries may connect to: the SSRF guard's rules, with no I/O.
///
/// Endpoint URLs are chosen by API callers, so without this a caller could make Wirehook post to
/// the cloud metadata service, a database port on loopback or an admin page on the LAN. The
/// literal check runs when an endpoint is saved; the address check runs on every address a name
/// resolves to, right before the connection, in the sender.
public struct TargetPolicy: Sendable, Equatable {
    /// `WIREHOOK_ALLOW_PRIVATE_TARGETS=true`: every range below except the metadata addresses.
    public var allowPrivate: Bool
    /// `WIREHOOK_ALLOWED_TARGETS` CIDRs (a bare address is a /32 or /128).
    public var allowedNetworks: [Network]
    /// `WIREHOOK_ALLOWED_TARGETS` host names (lowercased, no trailing dot): whatever they resolve to is allowed.
    public var allowedHosts: Set<String>

    public static let allowSetting = "WIREHOOK_ALLOW_PRIVATE_TARGETS"
    public static let listSetting = "WIREHOOK_ALLOWED_TARGETS"

    /// The guard on, nothing allowed: the default.
    public init(allowPrivate: Bool = false, allowedNetworks: [Network] = [], allowedHosts: Set<String> = []) {
        self.allowPrivate = allowPrivate
        self.allowedNetworks = allowedNetworks
        self.allowedHosts = allowedHosts
    }

    /// For tests and single-host setups whose receivers are on loopback.
    public static let allowingPrivate = TargetPolicy(allowPrivate: true)

    /// An address block such as `10.0.0.0/8` or `fd00::/8`.
    public struct Network: Sendable, Equatable, CustomStringConvertible {
        public let address: IPAddress
        public let prefix: Int

        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            // Only canonical dotted quads and IPv6 here: a CIDR in an exotic spelling is a typo.
            let host = String(parts[0])
            guard let address = IPAddress(host: host),
                address.isIPv4 ? Self.isDottedQuad(host) : true
            else { return nil }
            let width = address.bytes.count * 8
            var prefix = width
            if parts.count == 2 {
                guard let value = Int(parts[1]), (0...width).contains(value), parts[1].allSatisfy(\.isNumber) else {
                    return nil
                }
                prefix = value
            }
            self.address = address
            self.prefix = prefix
        }

        init(_ address: IPAddress, _ prefix: Int) {
            self.address = address
            self.prefix = prefix
        }

        public func contains(_ candidate: IPAddress) -> Bool { candidate.isIn(address, prefix: prefix) }

        public var description: String { "\(address)/\(prefix)" }

        static func isDottedQuad(_ text: String) -> Bool {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4
                && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) && UInt8($0) != nil }
        }
    }

    /// Why an address is off limits.
    public enum Range: String, Sendable {
        case unspecified = "an unspecified (0.0.0.0/8 or ::) address"
        case loopback = "a loopback address"
        case privateNetwork = "a private (RFC 1918) address"
        case sharedAddressSpace = "a carrier-grade NAT (100.64.0.0/10) address"
        case linkLocal = "a link-local address"
        case metadata = "the cloud metadata service"
        case multicast = "a multicast address"
        case broadcast = "the broadcast address"
        case reserved = "a reserved address"
        case uniqueLocal = "a unique-local IPv6 (fc00::/7) address"
    }

    /// The metadata services of AWS, GCP, Azure, OpenStack (169.254.169.254) and AWS over IPv6.
    static let metadataAddresses: [IPAddress] = [
        IPAddress(host: "169.254.169.254")!, IPAddress(host: "fd00:ec2::254")!,
    ]

    /// The range an address falls in, or nil for a public address. IPv6 forms that carry an IPv4
    /// address are judged by that address.
    public static func range(of address: IPAddress) -> Range? {
        if metadataAddresses.contains(address) { return .metadata }
        if let inner = address.embeddedIPv4 { return range(of: inner) }
        let b = address.bytes
        if address.isIPv4 {
            switch (b[0], b[1]) {
            case (0, _): return .unspecified
            case (10, _): return .privateNetwork
            case (100, 64...127): return .sharedAddressSpace
            case (127, _): return .loopback
            case (169, 254): return .linkLocal
            case (172, 16...31): return .privateNetwork
            case (192, 168): return .privateNetwork
            case (224...239, _): return .multicast
            case (255, 255) where b[2] == 255 && b[3] == 255: return .broadcast
            case (240...255, _): return .reserved
            default:
                // 192.0.0.0/24 holds protocol assignments (including DS-Lite's B4 addresses), not hosts.
                if b[0] == 192, b[1] == 0, b[2] == 0 { return .reserved }
                return nil
            }
        }
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }), b[15] == 1 { return .loopback }
        if b[0] & 0xFE == 0xFC { return .uniqueLocal }
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return .linkLocal }
        // fec0::/10, the deprecated site-local block, still routes inside some networks.
        if b[0] == 0xFE, b[1] & 0xC0 == 0xC0 { return .privateNetwork }
        if b[0] == 0xFF { return .multicast }
        return nil
    }

    /// Why a connection to `address` (reached through the name `host`) is refused, or nil.
    public func refusal(host: String, address: IPAddress) -> Refusal? {
        guard let range = Self.range(of: address) else { return nil }
        // Metadata needs its own address (or an IPv4-mapped spelling of it) listed: neither the
        // blanket switch, a wide CIDR nor a host name that resolves there opens it.
        if range == .metadata {
            let exact = allowedNetworks.contains { network in
                network.prefix == network.address.bytes.count * 8
                    && (network.address == address || network.address == address.embeddedIPv4)
            }
            return exact ? nil : Refusal(host: host, address: address, range: range)
        }
        if allowPrivate { return nil }
        if allowedHosts.contains(Self.normalized(host)) { return nil }
        if allowedNetworks.contains(where: { $0.contains(address) || address.embeddedIPv4.map($0.contains) == true }) {
            return nil
        }
        return Refusal(host: host, address: address, range: range)
    }

    /// The refusal for a URL whose host is a literal address, in any spelling; nil for names
    /// (checked after resolution) and for allowed or public addresses.
    public func literalRefusal(url: String) -> Refusal? {
        guard let host = Self.host(of: url), let address = IPAddress(host: host) else { return nil }
        return refusal(host: host, address: address)
    }

    /// The host of an http(s) URL as the URL parser reads it (brackets dropped).
    public static func host(of url: String) -> String? {
        guard let host = URL(string: url)?.host, !host.isEmpty else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { return String(host.dropFirst().dropLast()) }
        return host
    }

    static func normalized(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// Reads the two settings; a bad entry is named in the returned message.
    public static func parse(allowPrivate: String?, allowedTargets: String?) -> Result<TargetPolicy, ConfigurationError> {
        var policy = TargetPolicy()
        if let flag = allowPrivate?.trimmingCharacters(in: .whitespaces).lowercased(), !flag.isEmpty {
            switch flag {
            case "true", "1", "yes": policy.allowPrivate = true
            case "false", "0", "no": policy.allowPrivate = false
            default: return .failure(ConfigurationError("\(allowSetting)='\(flag)' must be true or false"))
            }
        }
        for entry in (allowedTargets ?? "").split(separator: ",") {
            let item = entry.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            if let network = Network(item) {
                policy.allowedNetworks.append(network)
            } else if item.contains("/") || IPAddress(host: item) != nil {
                return .failure(
                    ConfigurationError(
                        "\(listSetting): '\(item)' is not a CIDR such as 10.0.0.0/8 or fd00::/8 (write addresses as a.b.c.d)"))
            } else if item.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }), item.utf8.count <= 253 {
                policy.allowedHosts.insert(normalized(item))
            } else {
                return .failure(ConfigurationError("\(listSetting): '\(item)' is neither a CIDR nor a host name"))
            }
        }
        return .success(policy)
    }

    /// A refused target, worded for the attempt log and the 422.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public let host: String
        public let address: IPAddress
        public let range: Range

        public var description: String {
            let target: String
            if IPAddress(host: host) == address {
                target = host == "\(address)" ? host : "\(host) (that is, \(address))"
            } else {
                target = "\(host) resolves to \(address), which"
            }
            if range == .metadata {
                return "\(target) is \(range.rawValue); Wirehook never delivers there unless \(TargetPolicy.listSetting) "
                    + "names \(address) itself"
            }
            return "\(target) is \(range.rawValue); to deliver to a receiver on this host or LAN set "
                + "\(TargetPolicy.listSetting)=<cidr or host name>[,…] (e.g. 10.0.0.0/8,hooks.lan) "
                + "or \(TargetPolicy.allowSetting)=true"
        }
    }
}
