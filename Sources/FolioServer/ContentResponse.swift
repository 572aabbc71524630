import FolioCore
import HTTPTypes
import Hummingbird
import NIOCore

/// A response that streams content from the blob store, a chunk at a time.
enum ContentResponse {
    /// A file's current content, opened before the status is decided: a blob store that
    /// cannot serve it gives an error answer, not a 200 cut short.
    static func make(_ file: StoredFile, folio: Folio, headers: HTTPFields, on eventLoop: any EventLoop)
        async throws -> Response
    {
        make(size: file.size, headers: headers, reader: try await folio.openContent(of: file), on: eventLoop)
    }

    /// `size` bytes that `reader` hands over in order, written to the connection of `eventLoop`.
    ///
    /// Before each chunk but the first, the writer waits for a turn of that event loop. The
    /// response writer hands chunks to the loop asynchronously and only stops taking more once
    /// the loop has seen the socket fall behind; a handler that reads faster than busy loops
    /// write queued chunk after chunk in between (~2 MiB a connection with 50 concurrent
    /// downloads, up to ~6 MiB under wrk). After the turn the loop has taken the previous
    /// chunk, so the socket's backpressure is known before this one is handed over, and a
    /// download holds about two chunks however many run at once. The next chunk is read while
    /// the socket sends the previous one.
    static func make(
        size: Int64, status: HTTPResponse.Status = .ok, type: String = "application/octet-stream",
        headers: HTTPFields, reader: BlobReader, on eventLoop: any EventLoop
    ) -> Response {
        var headers = headers
        headers[.contentType] = type
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: Int(size)) { writer in
                var first = true
                try await reader.read { chunk in
                    if !first { try await eventLoop.submit {}.get() }
                    first = false
                    try await writer.write(chunk)
                }
                try await writer.finish(nil)
            })
    }
}
