/// Formats numbers the way JavaScript's `Number.prototype.toString` (and so `JSON.stringify`) does.
public enum JavaScriptNumber {
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let d = ShortestDigits(value)
        if d.isZero { return "0" }
        let k = d.digits.count
        let n = d.pointPosition
        var out: [UInt8] = d.negative ? [UInt8(ascii: "-")] : []
        if k <= n && n <= 21 {
            out += d.digits
            out += [UInt8](repeating: UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            out += d.digits[0..<n]
            out.append(UInt8(ascii: "."))
            out += d.digits[n...]
        } else if -6 < n && n <= 0 {
            out += Array("0.".utf8)
            out += [UInt8](repeating: UInt8(ascii: "0"), count: -n)
            out += d.digits
        } else {
            out.append(d.digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out += d.digits[1...]
            }
            let e = n - 1
            out += Array((e >= 0 ? "e+\(e)" : "e-\(-e)").utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Re-spells a JSON number literal as JavaScript would print it after `JSON.parse`.
    public static func canonical(literal: String) -> String {
        guard let value = Double(literal) else { return literal }
        return format(value)
    }
}
