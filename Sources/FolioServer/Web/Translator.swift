import Mustache

/// One language's texts as the templates read them, `{{t.key}}`. Built once per language, so
/// a render looks texts up instead of building a table.
struct Translator: MustacheParent, Sendable {
    let texts: [String: String]

    init(_ table: [Text: String]) {
        texts = Dictionary(uniqueKeysWithValues: table.map { ($0.key.rawValue, $0.value) })
    }

    func child(named name: String) -> Any? { texts[name] }

    static let english = Translator(Translations.english)
    static let russian = Translator(Translations.russian)
}
