/// The languages of the web pages, and the editor's language that goes with each.
enum Language: String, CaseIterable, Sendable {
    case en, ru

    /// `UI_LLCC` / `DC_LLCC` for the editor.
    var editorLocale: String {
        switch self {
        case .en: "en-US"
        case .ru: "ru-RU"
        }
    }

    var nativeName: String {
        switch self {
        case .en: "English"
        case .ru: "Русский"
        }
    }

    /// The user's choice, else the cookie, else the first supported language the browser asks for.
    static func pick(user: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let choice = user.flatMap(Language.init(rawValue:)) ?? cookie.flatMap(Language.init(rawValue:)) {
            return choice
        }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if let language = Language(rawValue: String(tag.prefix(2))) { return language }
        }
        return .en
    }

    /// The text in this language.
    func callAsFunction(_ text: Text) -> String {
        (self == .ru ? Translations.russian : Translations.english)[text] ?? text.rawValue
    }
}
