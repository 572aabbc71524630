import AsyncHTTPClient
import FolioCore
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Fetches what the document server offers (`url` in callbacks, Save As): only from its own
/// origins, never following a redirect, within a time limit and the upload size cap, streamed.
struct OnlyOfficeDownloader: Service {
    let origins: Set<String>
    let maxBytes: Int64
    let client: HTTPClient
    let timeout: TimeAmount

    init(origins: Set<String>, maxBytes: Int64, timeout: TimeAmount = .seconds(120)) {
        self.origins = origins
        self.maxBytes = maxBytes
        self.timeout = timeout
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        // Saves that arrive together download together: not eight at a time with the rest
        // failing after the connect timeout.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Lives as long as the server: its HTTP client is shut down when the server stops.
    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }

    /// Checks the URL, then hands the streamed body (and its declared size) to `store`.
    func download<T: Sendable>(
        _ url: String, store: (HTTPClientResponse.Body, Int64?) async throws -> T
    ) async throws -> T {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            origins.contains(url.prefixOrigin.lowercased())
        else {
            throw FolioError.forbidden("refused to download \(url): not from the document server")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        let response = try await client.execute(request, timeout: timeout)
        guard response.status == .ok else {
            throw FolioError.forbidden("the document server answered \(response.status.code) for \(url)")
        }
        let size = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        if let size, size > maxBytes { throw FolioError.tooLarge(limit: maxBytes) }
        return try await store(response.body, size)
    }
}
