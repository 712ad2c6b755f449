import Testing
import WirehookCore

/// The SSRF guard's address rules, without sockets.
struct TargetPolicyTests {
    /// Every spelling the URL parser and `inet_aton` accept for loopback and friends.
    @Test(arguments: [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f.0.0.1/", "127.0.0.1"),
        ("http://0x7f000001/", "127.0.0.1"),
        ("http://017700000001/", "127.0.0.1"),
        ("http://0177.0.0.01/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://127.0.1/", "127.0.0.1"),
        ("http://127.0.0.1./", "127.0.0.1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://[::ffff:7f00:1]:8080/", "::ffff:127.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://[0:0:0:0:0:0:0:1]/", "::1"),
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://0/", "0.0.0.0"),
        ("http://[::]/", "::"),
        ("https://10.1.2.3/", "10.1.2.3"),
        ("https://172.16.0.1/", "172.16.0.1"),
        ("https://172.31.255.255/", "172.31.255.255"),
        ("https://192.168.1.1/", "192.168.1.1"),
        ("https://100.64.0.1/", "100.64.0.1"),
        ("https://100.127.255.254/", "100.127.255.254"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://169.254.1.1/", "169.254.1.1"),
        ("http://224.0.0.1/", "224.0.0.1"),
        ("http://255.255.255.255/", "255.255.255.255"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("http://[fc00::1]/", "fc00::1"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[ff02::1]/", "ff02::1"),
        ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1"),
        ("http://[::127.0.0.1]/", "::127.0.0.1"),
        ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"),
        ("http://[2002:7f00:1::]/", "2002:7f00:1::"),
    ])
    func literalBlockedAddressesAreRefused(url: String, address: String) throws {
        let refusal = try #require(TargetPolicy().literalRefusal(url: url), "\(url) was allowed")
        #expect(refusal.address == IPAddress(host: address))
        #expect(refusal.description.contains("WIREHOOK_ALLOWED_TARGETS"), "\(refusal)")
    }

    @Test(arguments: [
        "https://example.com/hook", "https://93.184.216.34/", "http://8.8.8.8:8080/x", "https://[2606:4700::1111]/",
        "https://172.32.0.1/", "https://100.128.0.1/", "https://192.169.0.1/", "https://11.0.0.1/",
        "https://[2001:db9::1]/", "https://[::ffff:8.8.8.8]/", "https://1.1/",
    ])
    func publicTargetsAndNamesPass(url: String) {
        #expect(TargetPolicy().literalRefusal(url: url) == nil)
    }

    @Test func inetAtonForms() {
        #expect(IPAddress(host: "1.2.3")?.description == "1.2.0.3")
        #expect(IPAddress(host: "1.65535")?.description == "1.0.255.255")
        #expect(IPAddress(host: "1.65536")?.description == "1.1.0.0", "with two parts the last fills 24 bits")
        #expect(IPAddress(host: "1.16777216") == nil, "past the last part's width")
        #expect(IPAddress(host: "1.2.65536") == nil, "past the last part's width")
        #expect(IPAddress(host: "256.0.0.1") == nil)
        #expect(IPAddress(host: "4294967295")?.description == "255.255.255.255")
        #expect(IPAddress(host: "4294967296") == nil)
        #expect(IPAddress(host: "99999999999999999999999999") == nil, "no overflow trap on long digits")
        #expect(IPAddress(host: "08.0.0.1") == nil, "8 is not an octal digit")
        #expect(IPAddress(host: "1.2.3.4.5") == nil)
        #expect(IPAddress(host: "example.com") == nil)
        #expect(IPAddress(host: "1.2.3.x") == nil)
        #expect(IPAddress(host: "") == nil)
        #expect(IPAddress(host: "[fe80::1%25eth0]") == IPAddress(host: "fe80::1"))
    }

    @Test func rangesAreNamed() throws {
        func range(_ text: String) throws -> TargetPolicy.Range? { TargetPolicy.range(of: try #require(IPAddress(host: text))) }
        #expect(try range("127.8.9.10") == .loopback)
        #expect(try range("::1") == .loopback)
        #expect(try range("0.1.2.3") == .unspecified)
        #expect(try range("10.255.0.1") == .privateNetwork)
        #expect(try range("100.64.0.0") == .sharedAddressSpace)
        #expect(try range("100.63.255.255") == nil)
        #expect(try range("169.254.169.254") == .metadata)
        #expect(try range("::ffff:169.254.169.254") == .metadata)
        #expect(try range("fd00:ec2::254") == .metadata)
        #expect(try range("169.254.0.1") == .linkLocal)
        #expect(try range("fe80::abcd") == .linkLocal)
        #expect(try range("fd12:3456::1") == .uniqueLocal)
        #expect(try range("239.255.255.250") == .multicast)
        #expect(try range("ff05::2") == .multicast)
        #expect(try range("255.255.255.255") == .broadcast)
        #expect(try range("240.0.0.1") == .reserved)
        #expect(try range("2001:4860:4860::8888") == nil)
    }

    @Test func allowPrivateLiftsTheGuardButNotMetadata() throws {
        let policy = TargetPolicy.allowingPrivate
        #expect(policy.literalRefusal(url: "http://127.0.0.1:9000/") == nil)
        #expect(policy.literalRefusal(url: "http://[::1]/") == nil)
        #expect(policy.literalRefusal(url: "http://10.0.0.5/") == nil)
        let metadata = try #require(policy.literalRefusal(url: "http://169.254.169.254/"))
        #expect(metadata.range == .metadata)
        #expect(metadata.description.contains("names 169.254.169.254 itself"), "\(metadata)")
        #expect(policy.literalRefusal(url: "http://[fd00:ec2::254]/")?.range == .metadata)
        #expect(policy.literalRefusal(url: "http://[::ffff:a9fe:a9fe]/")?.range == .metadata)
    }

    @Test func allowedTargetsOpenOnlyWhatTheyName() throws {
        let policy = try TargetPolicy.parse(
            allowPrivate: nil, allowedTargets: " 10.1.0.0/16, fd00:1::/32 ,Hooks.LAN., 169.254.0.0/16"
        ).get()
        #expect(policy.literalRefusal(url: "http://10.1.200.3/") == nil)
        #expect(policy.literalRefusal(url: "http://[::ffff:10.1.200.3]/") == nil, "mapped forms of an allowed address")
        #expect(policy.literalRefusal(url: "http://10.2.0.1/") != nil)
        #expect(policy.literalRefusal(url: "http://[fd00:1:ffff::1]/") == nil)
        #expect(policy.literalRefusal(url: "http://[fd00:2::1]/") != nil)
        #expect(policy.literalRefusal(url: "http://169.254.10.10/") == nil)
        #expect(policy.literalRefusal(url: "http://169.254.169.254/")?.range == .metadata, "a wide CIDR does not name metadata")
        let lan = try #require(IPAddress(host: "192.168.7.7"))
        #expect(policy.refusal(host: "hooks.lan", address: lan) == nil)
        #expect(policy.refusal(host: "other.lan", address: lan) != nil)
        let metadata = try #require(IPAddress(host: "169.254.169.254"))
        #expect(policy.refusal(host: "hooks.lan", address: metadata) != nil, "an allowed name that resolves to metadata")

        let explicit = try TargetPolicy.parse(allowPrivate: "true", allowedTargets: "169.254.169.254").get()
        #expect(explicit.refusal(host: "169.254.169.254", address: metadata) == nil)
    }

    @Test func badSettingsAreNamed() {
        for (flag, list) in [("maybe", ""), ("", "10.0.0.0/33"), ("", "10.0.0.0/x"), ("", "0x0a.0.0.0/8"), ("", "::1/129"), ("", "a b")] {
            guard case .failure(let error) = TargetPolicy.parse(allowPrivate: flag, allowedTargets: list) else {
                Issue.record("'\(flag)' / '\(list)' was accepted")
                continue
            }
            #expect(error.message.contains("WIREHOOK_"), "\(error.message)")
        }
    }

    @Test func refusalSaysWhatToSet() throws {
        let loopback = try #require(IPAddress(host: "127.0.0.1"))
        let text = try #require(TargetPolicy().refusal(host: "localhost", address: loopback)).description
        #expect(text.contains("localhost resolves to 127.0.0.1"), "\(text)")
        #expect(text.contains("WIREHOOK_ALLOW_PRIVATE_TARGETS=true"), "\(text)")
        let spelled = try #require(TargetPolicy().literalRefusal(url: "http://2130706433/")).description
        #expect(spelled.hasPrefix("2130706433 (that is, 127.0.0.1) is a loopback address"), "\(spelled)")
    }
}
