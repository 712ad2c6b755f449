import struct Foundation.Date

/// wg-portal's user model (`payload` of `user` events) to and from the canonical user.
///
/// Field list and order: h44z/wg-portal `internal/app/webhooks/models/user.go`; times are Go
/// RFC 3339 with nanoseconds, optional fields are left out when empty (`omitempty`).
extension PanelUser {
    public static let wgPortalReader: [ReadRule] = [
        ReadRule(.username, "`Identifier` (or the envelope's `identifier`)") { e, out throws(WirehookError) in
            out.user.username =
                try PanelValue.string(e.data["Identifier"], "payload.Identifier")
                ?? e.attributes["identifier"]?.stringValue ?? ""
        },
        ReadRule(.status, "`Disabled` set → disabled, else active (`Locked` only blocks the portal login)") { e, out throws(WirehookError) in
            let disabled = try PanelValue.string(e.data["Disabled"], "payload.Disabled")
            out.user.status = disabled == nil ? .active : .disabled
        },
        ReadRule(.email, "`Email` (`\"\"` = none)") { e, out throws(WirehookError) in
            out.user.email = try PanelValue.string(e.data["Email"], "payload.Email").flatMap { $0.isEmpty ? nil : $0 }
        },
        ReadRule(.note, "`Notes`") { e, out throws(WirehookError) in
            out.user.note = try PanelValue.string(e.data["Notes"], "payload.Notes")
        },
        ReadRule(.createdAt, "`CreatedAt`") { e, out throws(WirehookError) in
            out.user.createdAt = try PanelValue.time(e.data["CreatedAt"], "payload.CreatedAt")
        },
        ReadRule(.updatedAt, "`UpdatedAt`") { e, out throws(WirehookError) in
            out.user.updatedAt = try PanelValue.time(e.data["UpdatedAt"], "payload.UpdatedAt")
        },
        ReadRule(.actor, "`UpdatedBy` (on create `CreatedBy`), as a non-sudo admin") { e, out throws(WirehookError) in
            let updatedBy = try PanelValue.string(e.data["UpdatedBy"], "payload.UpdatedBy")
            let createdBy = try PanelValue.string(e.data["CreatedBy"], "payload.CreatedBy")
            let name = (e.type == "user.created" ? createdBy ?? updatedBy : updatedBy ?? createdBy) ?? ""
            out.actor = name.isEmpty ? nil : PanelAdmin(username: name)
        },
        ReadRule(.reason, "`DisabledReason`") { e, out throws(WirehookError) in
            out.reason = try PanelValue.string(e.data["DisabledReason"], "payload.DisabledReason")
        },
        ReadRule(.occurredAt, "(none: wg-portal sends no time) → receive time") { _, _ in },
    ]

    /// wg-portal's `User`, in its key order; `omitempty` fields left out when empty.
    public static let wgPortalWriter: [WriteRule] = [
        WriteRule("CreatedBy", [.actor], "the acting admin's name, else `\"\"`") { e in .string(e.actor?.username ?? "") },
        WriteRule("UpdatedBy", [.actor], "the acting admin's name, else `\"\"`") { e in .string(e.actor?.username ?? "") },
        WriteRule("CreatedAt", [.createdAt, .occurredAt], "RFC 3339 UTC; unknown → event time") { e in
            .string(PanelTime.go(e.user.createdAt ?? e.occurredAt))
        },
        WriteRule("UpdatedAt", [.updatedAt, .occurredAt], "RFC 3339 UTC; unknown → event time") { e in
            .string(PanelTime.go(e.user.updatedAt ?? e.occurredAt))
        },
        WriteRule("Identifier", [.username], "verbatim") { e in .string(e.user.username) },
        WriteRule("Email", [.email], "address or `\"\"`") { e in .string(e.user.email ?? "") },
        WriteRule("AuthSources", [], "`[]` (users from another panel log in nowhere)") { _ in .array([]) },
        WriteRule("IsAdmin", [], "`false`") { _ in .bool(false) },
        WriteRule("Notes", [.note], "left out when empty") { e in e.user.note.flatMap { $0.isEmpty ? nil : .string($0) } },
        WriteRule("Disabled", [.status, .occurredAt], "event time when the status is disabled, limited or expired (the user's peers stop working); else left out") { e in
            [.disabled, .limited, .expired].contains(e.user.status) ? .string(PanelTime.go(e.occurredAt)) : nil
        },
        WriteRule("DisabledReason", [.status, .reason], "the source reason, else the status word; left out when not disabled") { e in
            guard [.disabled, .limited, .expired].contains(e.user.status) else { return nil }
            return .string(e.reason ?? e.user.status.rawValue)
        },
    ]
}
