/// The shortest round-tripping decimal digits of a finite double, as `0.d1d2…dk × 10^exponent`.
///
/// Swift, JavaScript and Python all print the same shortest digits; they differ only in layout.
struct ShortestDigits {
    var negative: Bool
    /// Significant digits without leading or trailing zeros ("0" for zero).
    var digits: [UInt8]
    /// Position of the decimal point relative to the digits (ECMAScript's `n`).
    var pointPosition: Int

    init(_ value: Double) {
        negative = value.sign == .minus && value != 0
        let text = "\(abs(value))"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var all = Array((intPart + fracPart).utf8)
        var point = intPart.utf8.count + exponent
        while let first = all.first, first == UInt8(ascii: "0"), all.count > 1 {
            all.removeFirst()
            point -= 1
        }
        while let last = all.last, last == UInt8(ascii: "0"), all.count > 1 {
            all.removeLast()
        }
        if all == [UInt8(ascii: "0")] { point = 1 }
        digits = all
        pointPosition = point
    }

    var isZero: Bool { digits == [UInt8(ascii: "0")] }
}
