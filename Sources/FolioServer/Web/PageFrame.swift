import FolioCore
import Mustache

/// What the layout shows around every page: the title, who is signed in, the languages.
struct PageFrame: MustacheParent {
    struct Person: MustacheParent {
        let displayName: String
        let isGuest: Bool
        let isAdmin: Bool
        let hasSpaces: Bool
        func child(named name: String) -> Any? {
            switch name {
            case "displayName": displayName
            case "isGuest": isGuest
            case "isAdmin": isAdmin
            case "hasSpaces": hasSpaces
            default: nil
            }
        }
    }

    struct LanguageChoice: MustacheParent {
        let code: String
        let name: String
        let current: Bool
        func child(named name: String) -> Any? {
            switch name {
            case "code": code
            case "name": self.name
            case "current": current
            default: nil
            }
        }
    }

    let title: String
    let lang: String
    /// Set when someone is signed in (a user with a session).
    let user: Person?
    let csrf: String?
    let languages: [LanguageChoice]

    init(title: String, visitor: WebVisitor) {
        self.title = title
        lang = visitor.language.rawValue
        csrf = visitor.session?.csrfToken
        if let user = visitor.user, visitor.session != nil {
            self.user = Person(
                displayName: user.displayName, isGuest: user.isGuest, isAdmin: user.isAdmin,
                hasSpaces: visitor.hasSpaces)
        } else {
            self.user = nil
        }
        languages = Language.allCases.map {
            LanguageChoice(code: $0.rawValue, name: $0.nativeName, current: $0 == visitor.language)
        }
    }

    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "lang": lang
        case "user": user
        case "csrf": csrf
        case "languages": languages
        default: nil
        }
    }
}
