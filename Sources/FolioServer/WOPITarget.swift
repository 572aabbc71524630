import FolioCore
import Hummingbird

/// Reads the PutRelativeFile / CreateChild* target headers (PROTOCOL.md §A.4).
enum WOPITarget {
    static func parse(_ request: Request) throws -> RelativeTarget {
        let suggested = try request.utf7Header(.wopiSuggestedTarget)
        let relative = try request.utf7Header(.wopiRelativeTarget)
        switch (suggested, relative) {
        case (let name?, nil):
            return .suggested(name)
        case (nil, let name?):
            let overwrite = request.headers[.wopiOverwriteRelativeTarget]?.lowercased() == "true"
            return .specific(name, overwrite: overwrite)
        case (nil, nil):
            throw FolioError.badRequest("X-WOPI-SuggestedTarget or X-WOPI-RelativeTarget is required")
        case (.some, .some):
            // The validator's CreateChildFile test accepts only 501 here; PutRelativeFile takes 400 or 501.
            throw FolioError.notImplemented("X-WOPI-SuggestedTarget and X-WOPI-RelativeTarget cannot both be sent")
        }
    }
}
