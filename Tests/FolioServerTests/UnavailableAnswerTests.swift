import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FolioServer

/// A store that does not answer (the object store down, say) is 503 with Retry-After on every
/// surface — WOPI, the API and the web pages — not a generic 500: clients and proxies retry.
@Suite struct UnavailableAnswerTests {
    static let failure = FolioError.unavailable("the object store at http://s3.test did not answer GET k: refused")

    func check(_ middleware: some RouterMiddleware<BasicRequestContext>, body expected: String) async throws {
        let router = Router()
        router.group().add(middleware: middleware).get("thing") { _, _ -> String in throw Self.failure }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/thing", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == FolioError.retryAfterSeconds)
                #expect(String(buffer: response.body).contains(expected))
            }
        }
    }

    @Test func wopiAnswers503WithServerError() async throws {
        try await check(WOPIErrorMiddleware<BasicRequestContext>(), body: "try again later")
    }

    @Test func apiAnswers503WithItsCode() async throws {
        try await check(APIErrorMiddleware<BasicRequestContext>(), body: #""code":"unavailable""#)
    }

    @Test func webPagesAnswer503InWords() async throws {
        try await check(WebErrorMiddleware<BasicRequestContext>(), body: "please try again in a moment")
    }
}
