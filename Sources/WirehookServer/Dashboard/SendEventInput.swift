import Foundation
import Hummingbird
import WirehookCore

struct SendEventInput: Sendable {
    var type: String
    var data: String
    var id: String

    init(type: String, data: String, id: String) {
        self.type = type
        self.data = data
        self.id = id
    }

    init(_ form: FormBody) {
        type = form.trimmed("type") ?? ""
        data = form.trimmed("data") ?? "{}"
        id = form.trimmed("id") ?? ""
    }
}
