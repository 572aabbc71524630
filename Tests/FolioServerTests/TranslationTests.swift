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

    @Test func translatorsReadTheTables() {
        #expect(Language.ru.translator.child(named: "files") as? String == "Файлы")
        #expect(Language.en.translator.child(named: "signIn") as? String == "Sign in")
        #expect(Language.en.translator.child(named: "noSuchText") == nil)
        #expect(Language.ru(.trash) == "Корзина" && Language.en(.trash) == "Trash")
    }
}
