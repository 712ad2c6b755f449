import Foundation
import WirehookCore

/// Draws an attempt histogram as an inline SVG bar chart: successes green, failures red,
/// stacked per bucket. Only numbers and escaped text reach the markup.
enum SVGChart {
    static func render(_ histogram: AttemptHistogram, width: Int, height: Int, label: String, axis: Bool) -> String {
        let buckets = histogram.buckets
        let peak = max(1, buckets.map { $0.successes + $0.failures }.max() ?? 1)
        let bottom = axis ? height - 14 : height
        let slot = Double(width) / Double(max(1, buckets.count))
        let bar = max(1, slot * 0.8)
        let successes = buckets.reduce(0) { $0 &+ $1.successes }
        let failures = buckets.reduce(0) { $0 &+ $1.failures }
        let summary = "\(label): \(successes) succeeded, \(failures) failed"
        var svg = """
            <svg class="chart" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" \
            aria-label="\(escape(summary))" xmlns="http://www.w3.org/2000/svg"><title>\(escape(summary))</title>
            """
        svg += "<line x1=\"0\" y1=\"\(bottom)\" x2=\"\(width)\" y2=\"\(bottom)\" class=\"chart-axis\"/>"
        for (index, bucket) in buckets.enumerated() {
            let x = Double(index) * slot + (slot - bar) / 2
            let okHeight = Double(bucket.successes) / Double(peak) * Double(bottom - 2)
            let badHeight = Double(bucket.failures) / Double(peak) * Double(bottom - 2)
            let tip = "\(Timestamp.iso8601(bucket.start)): \(bucket.successes) ok, \(bucket.failures) failed"
            svg += "<g><title>\(escape(tip))</title>"
            if bucket.successes > 0 {
                svg += rect(x: x, y: Double(bottom) - okHeight, width: bar, height: okHeight, kind: "chart-ok")
            }
            if bucket.failures > 0 {
                svg += rect(
                    x: x, y: Double(bottom) - okHeight - badHeight, width: bar, height: badHeight, kind: "chart-bad")
            }
            svg += "</g>"
        }
        if axis, let first = buckets.first, let last = buckets.last {
            svg += "<text x=\"0\" y=\"\(height - 2)\" class=\"chart-label\">\(escape(short(first.start)))</text>"
            svg += "<text x=\"\(width)\" y=\"\(height - 2)\" text-anchor=\"end\" class=\"chart-label\">"
            svg += "\(escape(short(last.start)))</text>"
        }
        return svg + "</svg>"
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, kind: String) -> String {
        "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(width))\" height=\"\(format(max(1, height)))\" class=\"\(kind)\"/>"
    }

    /// One decimal is finer than a pixel.
    static func format(_ value: Double) -> String { "\((value * 10).rounded() / 10)" }

    /// "11-28 18:00" in UTC: enough to place the window.
    static func short(_ date: Date) -> String {
        let text = Timestamp.iso8601(date)  // 2026-11-28T18:00:00.000Z
        let chars = Array(text)
        guard chars.count >= 16 else { return text }
        return String(chars[5..<10]) + " " + String(chars[11..<16])
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}

/// Escaping for text placed into markup by Swift code rather than by a template.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
