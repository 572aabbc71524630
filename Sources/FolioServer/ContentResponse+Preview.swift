import FolioPreview
import HTTPTypes
import Hummingbird
import NIOCore

extension ContentResponse {
    /// A preview or conversion that `PreviewService` made, for the web pages and the API alike.
    /// Kept privately for an hour: a version never changes, so neither does what is made of it,
    /// and the page that shows it asks again on every visit.
    static func made(
        _ made: PreviewService.Made, type: String, disposition: String? = nil, on eventLoop: any EventLoop
    ) -> Response {
        var headers = HTTPFields()
        headers[.cacheControl] = "private, max-age=3600"
        if let disposition { headers[.contentDisposition] = disposition }
        return make(size: made.content.size, type: type, headers: headers, reader: made.reader, on: eventLoop)
    }
}
