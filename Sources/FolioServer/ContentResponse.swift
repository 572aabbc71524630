import FolioCore
import HTTPTypes
import Hummingbird

/// A response that streams a file's current content from the blob store, a chunk at a time.
enum ContentResponse {
    static func make(_ file: StoredFile, folio: Folio, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/octet-stream"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody(contentLength: Int(file.size)) { writer in
                try await folio.readContent(of: file) { try await writer.write($0) }
                try await writer.finish(nil)
            })
    }
}
