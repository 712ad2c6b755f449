import ArgumentParser
import Foundation
import WirehookVerify

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a received webhook's signature: body on standard input, headers as flags.",
        discussion: """
            Exits 0 when the delivery verifies, 1 with the reason when it does not.
            Example: wirehook verify --format standard --secret whsec_… \\
                       -H 'webhook-id: msg_1' -H 'webhook-timestamp: 1700000000' -H 'webhook-signature: v1,…' < body.json
            """)

    @Option(help: "standard, remnawave, marzban, wg-portal or vpn-enterprise.") var format: String
    @Option(help: "The endpoint's secret (or the panel's configured secret).") var secret: String
    @Option(name: [.customShort("H"), .customLong("header")], help: "A header as 'Name: value'; repeat as needed.")
    var headers: [String] = []
    @Option(help: "Seconds of clock skew accepted for timestamped formats.") var tolerance: Double = 300
    @Flag(help: "Marzban receivers that expect an HMAC of the body in x-webhook-secret.") var marzbanHmac = false

    func run() throws {
        guard let parsedFormat = WebhookVerifier.Format(rawValue: format) else {
            throw ValidationError(
                "unknown format '\(format)'; one of: \(WebhookVerifier.Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var headerMap: [String: String] = [:]
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else {
                throw ValidationError("--header '\(header)' must look like 'Name: value'")
            }
            let name = header[..<colon].trimmingCharacters(in: .whitespaces)
            let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headerMap[name] = value
        }
        let body = Array(FileHandle.standardInput.readDataToEndOfFile())
        let verifier = WebhookVerifier(
            format: parsedFormat, secret: secret, tolerance: tolerance, marzbanHMAC: marzbanHmac)
        do {
            try verifier.verify(body: body, headers: headerMap)
            print("verified: \(format) signature matches (\(body.count) bytes)")
        } catch {
            FileHandle.standardError.write(Data("not verified: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
