/// One finding of `wirehook doctor`: what was checked, how it went, and what to do about it.
public struct DoctorCheck: Sendable, Equatable {
    public enum Level: String, Sendable, Comparable {
        case ok, warn, fail

        public static func < (a: Level, b: Level) -> Bool {
            let order: [Level] = [.ok, .warn, .fail]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    /// The group it belongs to: `configuration`, `database`, `server` or an endpoint's id.
    public var section: String
    public var name: String
    public var level: Level
    public var detail: String
    /// What to change, for anything not ok.
    public var fix: String?

    public init(_ section: String, _ name: String, _ level: Level, _ detail: String, fix: String? = nil) {
        self.section = section
        self.name = name
        self.level = level
        self.detail = detail
        self.fix = fix
    }
}
