/// Formats JSON numbers the way Python's `json.dumps` prints what `json.loads` read.
public enum PythonNumber {
    /// Integers stay integers (Python's are unbounded); anything with a fraction or exponent is a float.
    public static func canonical(literal: String) -> String {
        if !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            return literal == "-0" ? "0" : literal
        }
        // A float literal beyond a double would be `Infinity`, which is not JSON; such values are
        // refused at ingest (`EventDataRules`), so this only keeps stored data writable.
        guard let value = Double(literal), value.isFinite else { return literal }
        return formatFloat(value)
    }

    /// Python's `repr(float)`: shortest digits, fixed notation for exponents from -4 to 15.
    public static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let d = ShortestDigits(value)
        let sign = value.sign == .minus ? "-" : ""
        if d.isZero { return sign + "0.0" }
        let k = d.digits.count
        let n = d.pointPosition
        let digits = String(decoding: d.digits, as: UTF8.self)
        if -4 < n && n <= 16 {
            if n <= 0 {
                return sign + "0." + String(repeating: "0", count: -n) + digits
            }
            if n >= k {
                return sign + digits + String(repeating: "0", count: n - k) + ".0"
            }
            let i = digits.index(digits.startIndex, offsetBy: n)
            return sign + digits[..<i] + "." + digits[i...]
        }
        let e = n - 1
        let mantissa = k > 1 ? String(digits.prefix(1)) + "." + digits.dropFirst() : digits
        let expDigits = abs(e) < 10 ? "0\(abs(e))" : "\(abs(e))"
        return sign + mantissa + (e < 0 ? "e-" : "e+") + expDigits
    }
}
