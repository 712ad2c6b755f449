import Mustache

/// The dashboard's templates, parsed once at start-up.
///
/// The templates are Swift string literals (`DashboardTemplates`) rather than SwiftPM resource
/// files: a resource bundle is a directory beside the executable that every install, container
/// image and `swift run` must carry along, and a binary that lost it would serve blank pages.
/// Compiled in, the one `wirehook` file is the whole dashboard.
struct DashboardViews: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, text) in DashboardTemplates.all {
            try library.register(text, named: name)
        }
        self.library = library
    }

    func render(_ template: String, _ view: Any) -> String {
        library.render(view, withTemplate: template) ?? ""
    }
}
