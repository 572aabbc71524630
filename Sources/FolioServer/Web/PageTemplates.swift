import Foundation
import Mustache

/// The page templates (`Resources/templates/*.mustache`), parsed once per language, at the
/// first page (the router asks for them when it is built). Templates escape every value
/// themselves: `FOLIO_HTML` for text and attributes, `FOLIO_JS` inside JavaScript strings.
enum PageTemplates {
    /// One library per language with the texts (`{{t.key}}`) already written in: a folder of a
    /// hundred rows would otherwise look up a thousand texts at every render.
    static let libraries: [Language: MustacheLibrary] = {
        do {
            return try Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, try load($0)) })
        } catch {
            fatalError("the page templates cannot be read: \(error)")
        }
    }()

    /// The rows of a folder (`browse-row`), one stencil per language.
    static let folderRows: [Language: RowStencil] = libraries.mapValues { library in
        RowStencil(
            library: library, template: "browse-row", values: FolderView.rowValues, sections: FolderView.rowSections)
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// The `.mustache` files of the bundle by name (without the extension).
    static func sources() throws -> [String: String] {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw Invalid(description: "no folder of page templates in the bundle")
        }
        var sources: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            sources[String(file.dropLast(".mustache".count))] = text
        }
        return sources
    }

    static func load(_ language: Language) throws -> MustacheLibrary {
        // Content types are found while parsing, so they are registered first.
        MustacheContentTypes.register(HTMLEscaping(), named: "FOLIO_HTML")
        MustacheContentTypes.register(JSStringEscaping(), named: "FOLIO_JS")
        var library = MustacheLibrary()
        for (name, source) in try sources() {
            do {
                try library.register(try translate(source) { language($0) }, named: name)
            } catch {
                throw Invalid(description: "page template \(name): \(error)")
            }
        }
        return library
    }

    /// `source` with every `{{t.key}}` replaced by the text, escaped as `FOLIO_HTML` would
    /// escape it (texts appear only in HTML, never inside a script).
    static func translate(_ source: String, texts: (Text) -> String) throws -> String {
        var failure: Invalid?
        let translated = source.replacing(#/\{\{\s*t\.([A-Za-z0-9_]+)\s*\}\}/#) { match -> String in
            guard let text = Text(rawValue: String(match.output.1)) else {
                failure = Invalid(description: "t.\(match.output.1) is no text")
                return ""
            }
            let value = texts(text)
            if value.contains("{{") || value.contains("}}") {
                failure = Invalid(description: "the text \(text.rawValue) holds a Mustache tag")
            }
            return HTMLEscaping().escapeText(value)
        }
        if let failure { throw failure }
        // A text used as a section or unescaped would be left for a lookup that finds nothing.
        if translated.contains(#/\{\{[#^/&{]?\s*t\./#) {
            throw Invalid(description: "a text used other than as {{t.key}}")
        }
        return translated
    }

    /// `model` through the template `name` in `language`; every name used is in the bundle
    /// (PageTemplateTests). The editor pages hold no texts, so any language renders them.
    static func render(_ model: Any, _ name: String, in language: Language = .en) -> String {
        guard let text = libraries[language]?.render(model, withTemplate: name) else {
            preconditionFailure("no template \(name)")
        }
        return text
    }
}
