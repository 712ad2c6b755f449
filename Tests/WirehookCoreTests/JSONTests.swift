import Foundation
import Testing
import WirehookCore

struct JSONTests {
    @Test func keepsKeyOrderAndNumberLiterals() throws {
        let text = #"{"z":1,"a":[1.50,-0,2e3,{"m":null,"b":true}],"s":"ivan_пример 🚀 a/b"}"#
        let value = try JSONParser.parse(text)
        #expect(value.objectMembers?.map(\.key) == ["z", "a", "s"])
        #expect(JSONWriter.string(value) == text)
    }

    @Test func javascriptStyleMatchesJSONStringify() throws {
        let value = try JSONParser.parse(#"{"a":1.0,"b":1e21,"c":1e-7,"d":0.000001,"e":123456789012345678901,"f":-0.0,"g":"a/b\u00e9\u2028","h":1.5e2}"#)
        #expect(
            JSONWriter.string(value, style: .javascript)
                == #"{"a":1,"b":1e+21,"c":1e-7,"d":0.000001,"e":123456789012345680000,"f":0,"g":"a/bé\#u{2028}","h":150}"#)
    }

    @Test func pythonStyleMatchesJSONDumps() throws {
        let value = try JSONParser.parse(#"{"username":"ivan_пример","enqueued_at":1680506457.636369,"n":1,"x":1e16,"y":0.00001,"z":2.0,"e":"😀\n"}"#)
        #expect(
            JSONWriter.string(value, style: .python)
                == #"{"username": "ivan_\u043f\u0440\u0438\u043c\u0435\u0440", "enqueued_at": 1680506457.636369, "n": 1, "x": 1e+16, "y": 1e-05, "z": 2.0, "e": "\ud83d\ude00\n"}"#)
    }

    /// Go 1.22 changed encoding/json to write U+0008 and U+000C as `\b` and `\f`.
    @Test func goStyleWritesShortEscapesForBackspaceAndFormFeed() throws {
        let value = try JSONParser.parse(#"{"s":"a\u0008b\fc\u0001<&>\u2028é"}"#)
        #expect(JSONWriter.string(value, style: .go) == #"{"s":"a\bb\fc\u0001\u003c\u0026\u003e\u2028é"}"#)
        let body = WGPortalFormat().render(
            Event(id: "e", type: "peer.updated", occurredAt: Date(timeIntervalSince1970: 0), data: ["Name": "x\u{8}y\u{C}z"]))
        guard case .body(let bytes) = body else {
            Issue.record("peer.updated has a wg-portal name")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""Name":"x\by\fz""#))
    }

    /// What node prints for `JSON.stringify(JSON.parse(text))` and Python for
    /// `json.dumps(json.loads(text))`: one value per key, JavaScript's index keys first.
    @Test func javascriptAndPythonStylesHoldObjectsAsTheirLanguagesDo() throws {
        let value = try JSONParser.parse(#"{"1":1,"b":2,"a":1,"a":3,"0":0,"4294967295":5,"4294967294":6,"01":7}"#)
        #expect(JSONWriter.string(value, style: .javascript) == #"{"0":0,"1":1,"4294967294":6,"b":2,"a":3,"4294967295":5,"01":7}"#)
        #expect(JSONWriter.string(value, style: .python) == #"{"1": 1, "b": 2, "a": 3, "0": 0, "4294967295": 5, "4294967294": 6, "01": 7}"#)
        #expect(JSONWriter.string(value, style: .compact) == #"{"1":1,"b":2,"a":1,"a":3,"0":0,"4294967295":5,"4294967294":6,"01":7}"#)
        #expect(value["a"] == 3, "the last duplicate is the value, as every panel's language reads it")
        #expect(JSONWriter.string(try JSONParser.parse("[1e400,-1e400]"), style: .python) == "[1e400, -1e400]", "never Infinity")
    }

    @Test func javascriptNumbers() {
        #expect(JavaScriptNumber.format(1) == "1")
        #expect(JavaScriptNumber.format(0.1 + 0.2) == "0.30000000000000004")
        #expect(JavaScriptNumber.format(1e21) == "1e+21")
        #expect(JavaScriptNumber.format(1e20) == "100000000000000000000")
        #expect(JavaScriptNumber.format(-1.5e-7) == "-1.5e-7")
        #expect(JavaScriptNumber.format(123.456) == "123.456")
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "nul", "[1] x", "\"\\ud800\"",
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSONParser.parse(ok)) != nil)
    }

    /// Strings are checked for UTF-8 whether or not they hold escapes; plain ASCII takes a
    /// shorter path that must give the same strings.
    @Test func stringsAreValidUTF8OrRefused() throws {
        let quoted: ([UInt8]) -> [UInt8] = { [UInt8(ascii: "\"")] + $0 + [UInt8(ascii: "\"")] }
        #expect(try JSONParser.parse(quoted(Array("plain ascii 123".utf8))) == .string("plain ascii 123"))
        #expect(try JSONParser.parse(quoted(Array("Привет, мир".utf8))) == .string("Привет, мир"))
        #expect(try JSONParser.parse(quoted(Array("Привет\\n".utf8))) == .string("Привет\n"))
        #expect(try JSONParser.parse(quoted([])) == .string(""))
        let invalid: [[UInt8]] = [
            [0xFF], [0x61, 0x80], [0xC0, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80],
        ]
        for bad in invalid {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(quoted(bad)) }
            #expect(throws: JSONParseError.self, "\(bad) after an escape") {
                try JSONParser.parse(quoted(Array("\\n".utf8) + bad))
            }
        }
    }

    @Test func decodesEscapes() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\né😀"))
    }
}
