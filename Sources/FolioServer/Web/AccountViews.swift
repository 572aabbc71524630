import Mustache

/// The sign-in page (`login.mustache`).
struct LoginView: MustacheParent {
    let error: String?
    let next: String

    func child(named key: String) -> Any? {
        switch key {
        case "error": error
        case "next": next
        default: nil
        }
    }
}

/// The first-run set-up page (`setup.mustache`).
struct SetupView: MustacheParent {
    let error: String?
    let key: String

    func child(named name: String) -> Any? {
        switch name {
        case "error": error
        case "key": key
        default: nil
        }
    }
}

/// The page guests open a link on (`landing.mustache`).
struct LandingView: MustacheParent {
    let error: String?
    let linkID: String
    let hasPassword: Bool

    func child(named key: String) -> Any? {
        switch key {
        case "error": error
        case "linkID": linkID
        case "hasPassword": hasPassword
        default: nil
        }
    }
}
