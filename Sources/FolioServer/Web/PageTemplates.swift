import Foundation
import Mustache

/// The page templates (`Resources/templates/*.mustache`), parsed once, at the first page (the
/// router asks for them when it is built). Templates escape every value themselves:
/// `FOLIO_HTML` for text and attributes, `FOLIO_JS` inside JavaScript string literals.
enum PageTemplates {
    static let library: MustacheLibrary = {
        do {
            return try load()
        } catch {
            fatalError("the page templates cannot be read: \(error)")
        }
    }()

    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "no page template \(name)" }
    }

    /// The `.mustache` files of the bundle by name (without the extension).
    static func sources() throws -> [String: String] {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw Missing(name: "folder")
        }
        var sources: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            sources[String(file.dropLast(".mustache".count))] = text
        }
        return sources
    }

    static func load() throws -> MustacheLibrary {
        // Content types are found while parsing, so they are registered first.
        MustacheContentTypes.register(HTMLEscaping(), named: "FOLIO_HTML")
        MustacheContentTypes.register(JSStringEscaping(), named: "FOLIO_JS")
        var library = MustacheLibrary()
        for (name, text) in try sources() {
            do {
                try library.register(text, named: name)
            } catch {
                throw Missing(name: "\(name) (\(error))")
            }
        }
        return library
    }

    /// `model` through the template `name`; every name used is in the bundle (PageTemplateTests).
    static func render(_ model: Any, _ name: String) -> String {
        guard let text = library.render(model, withTemplate: name) else { preconditionFailure("no template \(name)") }
        return text
    }
}
