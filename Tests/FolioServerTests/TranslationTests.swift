import Foundation
import Testing

@testable import FolioServer

/// Every text in every language, and templates that name only texts that exist.
@Suite struct TranslationTests {
    @Test func everyTextHasEveryLanguage() {
        for text in Text.allCases {
            #expect(Translations.english[text]?.isEmpty == false, "no English for \(text)")
            #expect(Translations.russian[text]?.isEmpty == false, "no Russian for \(text)")
        }
        #expect(Translations.english.count == Text.allCases.count)
        #expect(Translations.russian.count == Text.allCases.count)
    }

    @Test func templatesNameOnlyTextsThatExist() throws {
        let sources = try PageTemplates.sources()
        var named = Set<String>()
        for (name, text) in sources {
            let regex = try NSRegularExpression(pattern: #"\{\{[#^/]?\s*t\.([A-Za-z0-9_]+)\s*\}\}"#)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                #expect(Text(rawValue: key) != nil, "\(name).mustache names t.\(key), which is no text")
                named.insert(key)
            }
        }
        #expect(named.count > 100)
    }

    /// Each language's templates get the texts written in, escaped, when they are loaded.
    @Test func templatesGetTheTextsOfTheirLanguage() throws {
        #expect(
            try PageTemplates.translate("<b>{{t.files}}</b>{{ name }}") { Language.ru($0) } == "<b>Файлы</b>{{ name }}")
        #expect(try PageTemplates.translate("<p>{{ t.signIn }}</p>") { Language.en($0) } == "<p>Sign in</p>")
        #expect(Language.ru(.trash) == "Корзина" && Language.en(.trash) == "Trash")
        // A text is escaped as FOLIO_HTML escapes a value, and cannot smuggle in a tag.
        #expect(
            try PageTemplates.translate("<p title=\"{{t.files}}\">") { _ in "<\"Tom's\" & co>" }
                == "<p title=\"&lt;&quot;Tom&#39;s&quot; &amp; co&gt;\">")
        #expect(throws: PageTemplates.Invalid.self) { try PageTemplates.translate("{{t.files}}") { _ in "{{name}}" } }
        #expect(throws: PageTemplates.Invalid.self) {
            try PageTemplates.translate("{{t.noSuchText}}") { Language.en($0) }
        }
        #expect(throws: PageTemplates.Invalid.self) {
            try PageTemplates.translate("{{#t.files}}x{{/t.files}}") { Language.en($0) }
        }
    }
}
