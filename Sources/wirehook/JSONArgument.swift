import ArgumentParser
import Foundation
import WirehookCore

/// A JSON value given on the command line; `-` reads it from standard input.
enum JSONArgument {
    static func parse(_ text: String, flag: String) throws -> JSONValue {
        let raw = text == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : text
        do {
            return try JSONParser.parse(raw)
        } catch {
            throw ValidationError("\(flag) is not valid JSON: \(error)")
        }
    }

    static func object(_ text: String, flag: String) throws -> JSONValue {
        let value = try parse(text, flag: flag)
        guard case .object = value else { throw ValidationError("\(flag) must be a JSON object") }
        return value
    }
}
