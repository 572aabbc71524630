import FolioCore
import Hummingbird

/// GetShareUrl on a file or a container (`X-WOPI-UrlType`: `ReadOnly` gives a view link,
/// `ReadWrite` an edit link; anything else is 501).
enum ShareURLAnswer {
    static let types = ["ReadOnly", "ReadWrite"]

    /// `urls`: the public base (the link is for people).
    static func make(_ request: Request, resourceID: String, user: User, folio: Folio, urls: WOPIURLs) async throws
        -> Response
    {
        let role: Role
        switch request.headers[.wopiUrlType] {
        case "ReadOnly": role = .view
        case "ReadWrite": role = .edit
        case let other: throw FolioError.notImplemented("share URLs of type \(other ?? "(none)") are not supported")
        }
        let link = try await folio.plainLink(on: resourceID, role: role, by: user)
        return try JSONResponse.make(["ShareUrl": urls.base + "/s/" + link.id])
    }
}
