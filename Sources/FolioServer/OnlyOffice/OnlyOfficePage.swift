import Mustache

/// The page that runs ONLYOFFICE's editor (`onlyoffice.mustache`).
struct OnlyOfficePage: MustacheParent {
    let language: String
    let fileName: String
    let publicURL: String
    /// The signed configuration as JSON with every "<" written `\u003c`, so it cannot end the
    /// script element: the one value a template writes unescaped.
    let config: String
    let fileID: String
    /// `?ticket=…` for a page opened with a ticket, else empty.
    let query: String
    let csrf: String

    func child(named key: String) -> Any? {
        switch key {
        case "language": language
        case "fileName": fileName
        case "publicURL": publicURL
        case "config": config
        case "fileID": fileID
        case "query": query
        case "csrf": csrf
        default: nil
        }
    }
}
