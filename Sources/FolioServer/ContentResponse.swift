import FolioCore
import HTTPTypes
import Hummingbird

/// A response that streams content from the blob store, a chunk at a time.
enum ContentResponse {
    /// A file's current content, opened before the status is decided: a blob store that
    /// cannot serve it gives an error answer, not a 200 cut short.
    static func make(_ file: StoredFile, folio: Folio, headers: HTTPFields) async throws -> Response {
        make(size: file.size, headers: headers, reader: try await folio.openContent(of: file))
    }

    /// `size` bytes that `reader` hands over in order.
    static func make(
        size: Int64, status: HTTPResponse.Status = .ok, headers: HTTPFields, reader: BlobReader
    ) -> Response {
        var headers = headers
        headers[.contentType] = "application/octet-stream"
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: Int(size)) { writer in
                try await reader.read { try await writer.write($0) }
                try await writer.finish(nil)
            })
    }
}
