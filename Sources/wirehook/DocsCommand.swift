import ArgumentParser
import Foundation
import WirehookCore
import WirehookServer

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Print (or write) docs/events.md, docs/dialects.md and the API contract docs/openapi.json.")

    @Flag(help: "Write docs/events.md, docs/dialects.md and docs/openapi.json under --directory instead of printing.")
    var write = false
    @Flag(help: "Print the OpenAPI document (the API contract) instead of events.md.") var openapi = false
    @Option(help: "Where the docs folder is.") var directory: String = "docs"

    func run() throws {
        guard write else {
            print(openapi ? try APIContract.json() : CatalogDocument.events(), terminator: "")
            return
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try CatalogDocument.events().write(toFile: directory + "/events.md", atomically: true, encoding: .utf8)
        try CatalogDocument.dialects().write(toFile: directory + "/dialects.md", atomically: true, encoding: .utf8)
        try APIContract.json().write(toFile: directory + "/openapi.json", atomically: true, encoding: .utf8)
        Console.line("wrote \(directory)/events.md, \(directory)/dialects.md and \(directory)/openapi.json")
    }
}
