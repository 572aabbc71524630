import Mustache

/// The host page (PROTOCOL.md §A.9, `host.mustache`): it posts the token into a named iframe
/// (never in a URL), then speaks the editor's postMessage protocol.
struct HostPage: MustacheParent {
    var title: String
    var actionURL: String
    /// The same action's phone version (`mobileView`, `mobileEdit`) where discovery offers
    /// it: the page takes it on a narrow screen.
    var mobileActionURL: String? = nil
    /// Where the page asks for a fresh token before its own expires.
    var renewURL: String? = nil
    /// Whether the editor takes a new token while open (Collabora's `Reset_Access_Token`);
    /// otherwise the page says, before expiry, that the document must be reopened.
    var editorTakesNewTokens = false
    /// The notice shown before expiry where the editor cannot take a new token (`{time}`
    /// is filled in by the page).
    var sessionEndsText = ""
    var token: String
    var tokenTTL: Int64
    var favicon: String?
    var closeURL: String
    var language: String
    /// ONLYOFFICE reads extra editor settings from this form field.
    var docsAPIConfig: String?
    /// The other editors that can open the file, shown as a bar above the frame.
    var alternatives: [(name: String, url: String, current: Bool)] = []
    /// Opened when the editor asks for sharing (`UI_Sharing`, `UI_Share`) or versions
    /// (`UI_FileVersions`); nil where the user may not.
    var shareURL: String? = nil
    var versionsURL: String? = nil

    /// One editor of the "Open with" bar; `separator` before all but the first.
    struct Alternative: MustacheParent {
        let name: String
        let url: String
        let current: Bool
        let separator: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "url": url
            case "current": current
            case "separator": separator
            default: nil
            }
        }
    }

    func html() -> String { PageTemplates.render(self, "host") }

    func child(named key: String) -> Any? {
        switch key {
        case "title": title
        case "actionURL": actionURL
        case "mobileActionURL": mobileActionURL
        case "renewURL": renewURL
        case "editorTakesNewTokens": editorTakesNewTokens
        case "sessionEndsText": sessionEndsText
        case "token": token
        case "tokenTTL": tokenTTL
        case "favicon": favicon
        case "closeURL": closeURL
        case "language": language
        case "docsAPIConfig": docsAPIConfig
        case "hasAlternatives": !alternatives.isEmpty
        case "alternatives":
            alternatives.enumerated().map { index, option in
                Alternative(name: option.name, url: option.url, current: option.current, separator: index > 0)
            }
        case "shareURL": shareURL
        case "versionsURL": versionsURL
        default: nil
        }
    }
}

/// Shown instead of the host page when no configured editor opens the file (`no-editor.mustache`).
struct NoEditorPage: MustacheParent {
    let fileName: String
    let ext: String
    let downloadURL: String

    func child(named key: String) -> Any? {
        switch key {
        case "fileName": fileName
        case "ext": ext
        case "downloadURL": downloadURL
        default: nil
        }
    }
}
