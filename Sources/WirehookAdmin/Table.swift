/// Rows printed in aligned columns for people; `--json` prints the server's answer instead.
public struct Table: Sendable {
    /// One cell: its text and, on a terminal, the tone it is shown in.
    public struct Cell: Sendable, ExpressibleByStringLiteral {
        public var text: String
        public var tone: Palette.Tone?

        public init(_ text: String, tone: Palette.Tone? = nil) {
            // A value from the server must not move the cursor or recolour the terminal.
            self.text = Display.printable(text)
            self.tone = tone
        }

        public init(stringLiteral value: String) { self.init(value) }
    }

    public var headers: [String]
    public private(set) var rows: [[Cell]] = []
    /// Cells wider than this are cut with an ellipsis, so one long URL does not wrap every line.
    public var maxWidth = 60

    public init(_ headers: [String]) {
        self.headers = headers
    }

    public mutating func add(_ cells: [Cell]) {
        rows.append(cells)
    }

    public func render(palette: Palette) -> String {
        let columns = headers.count
        func clip(_ text: String) -> String {
            text.count > maxWidth ? String(text.prefix(maxWidth - 1)) + "…" : text
        }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.prefix(columns).enumerated() {
                widths[index] = max(widths[index], clip(cell.text).count)
            }
        }
        func line(_ cells: [Cell], header: Bool) -> String {
            var parts: [String] = []
            for index in 0..<columns {
                let cell = index < cells.count ? cells[index] : Cell("")
                let text = clip(cell.text)
                // The last column is not padded: no trailing spaces.
                let padded = index == columns - 1 ? text : text + String(repeating: " ", count: widths[index] - text.count)
                if header {
                    parts.append(palette.paint(padded, .bold))
                } else if let tone = cell.tone {
                    // Padding stays outside the colour so columns line up either way.
                    parts.append(palette.paint(text, tone) + String(repeating: " ", count: padded.count - text.count))
                } else {
                    parts.append(padded)
                }
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers.map { Cell($0) }, header: true)] + rows.map { line($0, header: false) })
            .joined(separator: "\n")
    }
}
