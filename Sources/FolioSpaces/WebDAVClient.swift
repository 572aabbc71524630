import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore
import NIOHTTP1

/// Requests to one WebDAV collection on AsyncHTTPClient, with Basic auth. A server that does not
/// answer (refused, timed out, 502/503/504) is `FolioError.unavailable`; a refused user is a
/// clear `FolioError.storage` that names the user, never the password.
struct WebDAVClient: Sendable {
    let location: WebDAVLocation
    /// Longest a call without content may take.
    var timeout: TimeAmount = .seconds(30)
    /// Longest a transfer of content may take in all (no byte for 30 s fails it sooner).
    var transferTimeout: TimeAmount = .hours(6)

    /// One client for every space on another server (`StorageHTTPClient`).
    static var http: HTTPClient { StorageHTTPClient.shared }

    var authorization: String? {
        guard !location.user.isEmpty || !location.password.isEmpty else { return nil }
        return "Basic " + Data("\(location.user):\(location.password)".utf8).base64EncodedString()
    }

    /// Sends a request and returns the answer whatever its status, except the ones no caller can
    /// act on: 401/403 (the space's user) and the server not answering.
    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: HTTPClientRequest.Body? = nil,
        operation: @autoclosure () -> String, deadline: TimeAmount? = nil
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let authorization { request.headers.add(name: "authorization", value: authorization) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = body }
        let response: HTTPClientResponse
        do {
            response = try await Self.http.execute(request, timeout: deadline ?? timeout)
        } catch {
            throw FolioError.unavailable("\(location) did not answer \(operation()): \(error)")
        }
        switch response.status.code {
        case 401:
            await Self.drain(response)
            throw FolioError.storage(
                "\(location) refused \(operation()) (HTTP 401): the user \(location.user.debugDescription) or its password is wrong"
            )
        case 403:
            await Self.drain(response)
            throw FolioError.storage(
                "\(location) does not let \(location.user.debugDescription) \(operation()) (HTTP 403)")
        case 502, 503, 504:
            await Self.drain(response)
            throw FolioError.unavailable("\(location) answered \(operation()) with HTTP \(response.status.code)")
        default:
            return response
        }
    }

    /// A PROPFIND answer parsed; nil when nothing is at `url` (404, or a status in `absent`).
    func propfind(_ url: String, depth: String, operation: String, absent: Set<UInt> = [404, 409]) async throws
        -> WebDAVMultistatus?
    {
        let response = try await send(
            .PROPFIND, url,
            headers: [("depth", depth), ("content-type", "application/xml; charset=utf-8")],
            body: .bytes(ByteBuffer(string: WebDAVMultistatus.propfindBody)), operation: operation)
        switch response.status.code {
        case 207:
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            } catch {
                throw FolioError.unavailable("\(location) did not finish its answer to \(operation): \(error)")
            }
            return try WebDAVMultistatus(Data(body.readableBytesView))
        case let code where absent.contains(code):
            // 409: a folder on the way is missing (or is a document).
            await Self.drain(response)
            return nil
        default:
            throw await unexpected(response, operation)
        }
    }

    /// The error for an answer the caller did not expect (its body read and dropped).
    func unexpected(_ response: HTTPClientResponse, _ operation: String) async -> FolioError {
        await Self.drain(response)
        return failure(response.status, operation)
    }

    /// The error for a status the caller did not expect, once its body is read.
    func failure(_ status: HTTPResponseStatus, _ operation: String) -> FolioError {
        let text = "\(location) answered \(operation) with HTTP \(status.code) \(status.reasonPhrase)"
        return status.code >= 500 && status.code != 507 ? .unavailable(text) : .storage(text)
    }

    /// Reads what is left of a small answer, so its connection can serve the next request.
    static func drain(_ response: HTTPClientResponse) async {
        _ = try? await response.body.collect(upTo: 1024 * 1024)
    }
}
