import ArgumentParser
import Foundation
import WirehookVerify

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a received webhook's signature: body on standard input, headers as flags.",
        discussion: """
            Exits 0 when the delivery verifies, 1 with the reason when it does not.
            The secret comes from --secret-file PATH, the WIREHOOK_SECRET variable or --secret (a flag
            overrides the variable); prefer the first two, since arguments show in the process list.
            Example: wirehook verify --format standard --secret-file endpoint.secret \\
                       -H 'webhook-id: msg_1' -H 'webhook-timestamp: 1700000000' -H 'webhook-signature: v1,…' < body.json
            """)

    @Option(help: "standard, remnawave, marzban, wg-portal or vpn-enterprise.") var format: String
    @OptionGroup(title: "Secret (the endpoint's, or the panel's configured one)") var secretOptions: SecretOptions
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
        guard tolerance.isFinite, tolerance >= 0 else { throw ValidationError("--tolerance must be 0 or more seconds") }
        let secret = try secretOptions.required("verify")
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
