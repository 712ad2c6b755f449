import ArgumentParser
import Foundation
import WirehookCore

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs", abstract: "Print (or write) docs/events.md and docs/dialects.md from the event catalog.")

    @Flag(help: "Write docs/events.md and docs/dialects.md under --directory instead of printing events.md.")
    var write = false
    @Option(help: "Where the docs folder is.") var directory: String = "docs"

    func run() throws {
        guard write else {
            print(CatalogDocument.events(), terminator: "")
            return
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try CatalogDocument.events().write(toFile: directory + "/events.md", atomically: true, encoding: .utf8)
        try CatalogDocument.dialects().write(toFile: directory + "/dialects.md", atomically: true, encoding: .utf8)
        Console.line("wrote \(directory)/events.md and \(directory)/dialects.md")
    }
}
