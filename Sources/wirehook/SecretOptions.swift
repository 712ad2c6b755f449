import ArgumentParser
import Foundation

/// Where a receiver tool gets its secret: `--secret`, `--secret-file` or `WIREHOOK_SECRET`.
///
/// A secret on the command line shows in `ps` and shell history to anyone on the machine; the
/// file and the variable keep it out of the process list.
struct SecretOptions: ParsableArguments {
    static let environmentVariable = "WIREHOOK_SECRET"

    @Option(help: "The secret itself (visible in the process list; prefer --secret-file or WIREHOOK_SECRET).")
    var secret: String?

    @Option(
        name: .customLong("secret-file"),
        help: ArgumentHelp(
            "A file holding the secret; trailing line breaks are ignored.", valueName: "path"))
    var secretFile: String?

    /// The secret from exactly one flag, or else from `WIREHOOK_SECRET` (a flag overrides it);
    /// nil only when none is given.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if secret != nil, secretFile != nil {
            throw ValidationError("give the secret once: --secret or --secret-file, not both")
        }
        if let secret {
            guard !secret.isEmpty else { throw ValidationError("--secret is empty") }
            return secret
        }
        if let secretFile {
            guard let data = FileManager.default.contents(atPath: secretFile) else {
                throw ValidationError("--secret-file: cannot read \(secretFile)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("--secret-file: \(secretFile) is not UTF-8 text")
            }
            // Editors and `echo` end files with a newline that is not part of the secret.
            let value = String(text.reversed().drop(while: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).reversed())
            guard !value.isEmpty else { throw ValidationError("--secret-file: \(secretFile) is empty") }
            return value
        }
        if let value = environment[Self.environmentVariable], !value.isEmpty { return value }
        return nil
    }

    /// `resolve()` for tools that cannot work without a secret.
    func required(_ purpose: String) throws -> String {
        guard let value = try resolve() else {
            throw ValidationError(
                "\(purpose) needs a secret: --secret-file PATH, the \(Self.environmentVariable) variable, or --secret")
        }
        return value
    }
}
