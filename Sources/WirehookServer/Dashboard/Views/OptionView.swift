import Foundation
import Hummingbird
import WirehookCore

/// One choice of a filter's select.
struct OptionView {
    var value: String
    var label: String
    var selected: Bool
}
