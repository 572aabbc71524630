import FolioCore
import HTTPTypes
import Hummingbird

/// A response that streams content from the blob store, a chunk at a time.
enum ContentResponse {
    /// A file's current content.
    static func make(_ file: StoredFile, folio: Folio, headers: HTTPFields) -> Response {
        make(size: file.size, headers: headers) { try await folio.readContent(of: file, $0) }
    }

    /// `size` bytes that `read` hands over in order.
    static func make(
        size: Int64, status: HTTPResponse.Status = .ok, headers: HTTPFields,
        read: @escaping @Sendable ((ByteBuffer) async throws -> Void) async throws -> Void
    ) -> Response {
        var headers = headers
        headers[.contentType] = "application/octet-stream"
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: Int(size)) { writer in
                try await read { try await writer.write($0) }
                try await writer.finish(nil)
            })
    }
}
