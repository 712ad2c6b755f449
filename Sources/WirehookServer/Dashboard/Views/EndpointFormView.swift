import Foundation
import Hummingbird
import WirehookCore

/// The new and edit endpoint form, with the API's message beside the field it is about.
struct EndpointFormView {
    var prefix: String
    var csrf: String
    var editing: Bool
    var id: String
    var path: String
    var url: String
    var urlError: String?
    var description: String
    var descriptionError: String?
    var formats: [FormatChoiceView]
    var formatError: String?
    var everything: Bool
    var groups: [EventGroupView]
    var otherEvents: String
    var eventsError: String?
    var secretError: String?
    var common: [OptionFieldView]
    var optionsError: String?
    var active: Bool
    var generalError: String?
}

/// One format in the form, with what it is for and its options.
struct FormatChoiceView {
    var name: String
    var checked: Bool
    var summary: String
    var options: [OptionFieldView]
    var hasOptions: Bool
}

/// One option input of the endpoint form.
struct OptionFieldView {
    var name: String
    var inputID: String
    var label: String
    var help: String
    var value: String
    var isFlag: Bool
    var isNumber: Bool
    var checked: Bool

    init(_ option: FormatGuide.Option, format: String, value: String) {
        name = format.isEmpty ? "option.\(option.key)" : "option.\(format).\(option.key)"
        inputID = name.replacingOccurrences(of: ".", with: "-")
        label = option.label
        help = option.help
        self.value = value
        isFlag = option.kind == .flag
        isNumber = option.kind == .number
        checked = !value.isEmpty
    }
}

/// The catalog's events of one scope, in the event picker.
struct EventGroupView {
    var scope: String
    var wildcard: String
    var wildcardChecked: Bool
    var events: [EventChoiceView]
}

/// One event in the event picker, with each panel's name for it.
struct EventChoiceView {
    var name: String
    var checked: Bool
    var summary: String
    var dialects: String
}
