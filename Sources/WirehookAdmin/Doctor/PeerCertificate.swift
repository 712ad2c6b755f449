import Foundation
import NIOSSL
import WirehookCore

/// The certificate a receiver presents, as doctor reports it: its validity window and whether it
/// is its own issuer (self-signed), so a failed handshake can say what to fix.
struct PeerCertificate: Sendable, Equatable {
    var notValidBefore: Date
    var notValidAfter: Date
    /// Issuer and subject are the same name: nobody but the receiver vouches for it.
    var selfSigned: Bool

    init(notValidBefore: Date, notValidAfter: Date, selfSigned: Bool) {
        self.notValidBefore = notValidBefore
        self.notValidAfter = notValidAfter
        self.selfSigned = selfSigned
    }

    init(_ certificate: NIOSSLCertificate) {
        let der = (try? certificate.toDERBytes()) ?? []
        self.init(
            notValidBefore: Date(timeIntervalSince1970: TimeInterval(certificate.notValidBefore)),
            notValidAfter: Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter)),
            selfSigned: Self.issuerAndSubject(der).map { $0.issuer == $0.subject } ?? false)
    }

    /// Why a worker on this machine does not trust it, for a certificate that failed verification.
    func distrust(now: Date) -> String {
        if notValidAfter <= now { return "its certificate expired \(Timestamp.iso8601(notValidAfter))" }
        if notValidBefore > now { return "its certificate is not valid before \(Timestamp.iso8601(notValidBefore))" }
        let expiry = "it expires \(Timestamp.iso8601(notValidAfter)) (in \(Self.days(until: notValidAfter, from: now)))"
        if selfSigned { return "its certificate is self-signed, which deliveries do not trust; \(expiry)" }
        return "its certificate is not signed by a CA this machine trusts, or not issued for this host; \(expiry)"
    }

    /// What to do about it, in the same cases as `distrust(now:)`.
    func fix(now: Date, host: String) -> String {
        if notValidAfter <= now { return "renew the certificate" }
        if notValidBefore > now { return "check this machine's clock, or install a certificate that is valid now" }
        return "install a certificate that is valid for \(host) and signed by a public CA"
    }

    static func days(until date: Date, from now: Date) -> String {
        let days = Int(saturating: date.timeIntervalSince(now) / 86_400)
        return days == 1 ? "1 day" : "\(days) days"
    }

    /// The issuer and subject names of a DER X.509 certificate, as their encoded bytes (RFC 5280
    /// 4.1: Certificate, then TBSCertificate: [0] version, serial, signature, issuer, validity,
    /// subject); nil when the bytes are not shaped like one.
    static func issuerAndSubject(_ der: [UInt8]) -> (issuer: ArraySlice<UInt8>, subject: ArraySlice<UInt8>)? {
        let sequence: UInt8 = 0x30
        var outer = DERReader(der[...])
        guard let certificate = outer.next(), certificate.tag == sequence else { return nil }
        var inner = DERReader(certificate.contents)
        guard let tbs = inner.next(), tbs.tag == sequence else { return nil }
        var fields = DERReader(tbs.contents)
        var serial = fields.next()
        if serial?.tag == 0xA0 { serial = fields.next() }  // the explicit version, absent in v1
        guard serial?.tag == 0x02, fields.next() != nil, let issuer = fields.next(), issuer.tag == sequence,
            fields.next() != nil, let subject = fields.next(), subject.tag == sequence
        else { return nil }
        return (issuer.encoded, subject.encoded)
    }

    /// Reads DER elements one after another, never past the end of what it was given.
    struct DERReader {
        var remaining: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { remaining = bytes }

        mutating func next() -> (tag: UInt8, contents: ArraySlice<UInt8>, encoded: ArraySlice<UInt8>)? {
            let start = remaining.startIndex
            guard remaining.count >= 2 else { return nil }
            let tag = remaining[start]
            var index = start + 1
            let first = remaining[index]
            index += 1
            var length = Int(first)
            if first >= 0x80 {
                let count = Int(first & 0x7F)
                guard (1...4).contains(count), remaining.endIndex - index >= count else { return nil }
                length = 0
                for _ in 0..<count {
                    length = length << 8 | Int(remaining[index])
                    index += 1
                }
            }
            guard remaining.endIndex - index >= length else { return nil }
            let end = index + length
            defer { remaining = remaining[end...] }
            return (tag, remaining[index..<end], remaining[start..<end])
        }
    }
}
