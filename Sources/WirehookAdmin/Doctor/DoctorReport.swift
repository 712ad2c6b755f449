import WirehookCore

/// Every finding of `wirehook doctor`, printed by section with what to fix.
public struct DoctorReport: Sendable {
    public var checks: [DoctorCheck]

    public init(checks: [DoctorCheck]) {
        self.checks = checks
    }

    public var worst: DoctorCheck.Level { checks.map(\.level).max() ?? .ok }

    /// 0 when nothing failed (warnings included), 1 when something must be fixed.
    public var exitStatus: ExitStatus { worst == .fail ? .failure : .success }

    public func text(palette: Palette) -> String {
        var sections: [String] = []
        var order: [String] = []
        for check in checks where !order.contains(check.section) { order.append(check.section) }
        for section in order {
            var lines = [palette.paint(section, .bold)]
            for check in checks where check.section == section {
                let mark: String
                switch check.level {
                case .ok: mark = palette.paint("ok  ", .good)
                case .warn: mark = palette.paint("warn", .warning)
                case .fail: mark = palette.paint("FAIL", .bad)
                }
                lines.append("  \(mark)  \(check.name): \(Display.printable(check.detail))")
                if let fix = check.fix, check.level != .ok { lines.append("        fix: \(fix)") }
            }
            sections.append(lines.joined(separator: "\n"))
        }
        let failures = checks.filter { $0.level == .fail }.count
        let warnings = checks.filter { $0.level == .warn }.count
        let summary =
            failures == 0 && warnings == 0
            ? palette.paint("All \(checks.count) checks passed.", .good)
            : "\(failures) to fix, \(warnings) to look at, \(checks.count - failures - warnings) fine."
        return (sections + [summary]).joined(separator: "\n\n")
    }

    public var json: JSONValue {
        [
            "success": .bool(worst != .fail),
            "checks": .array(
                checks.map { check in
                    var members: [JSONMember] = [
                        JSONMember("section", .string(check.section)), JSONMember("name", .string(check.name)),
                        JSONMember("level", .string(check.level.rawValue)), JSONMember("detail", .string(check.detail)),
                    ]
                    if let fix = check.fix, check.level != .ok { members.append(JSONMember("fix", .string(fix))) }
                    return .object(members)
                }),
        ]
    }
}
