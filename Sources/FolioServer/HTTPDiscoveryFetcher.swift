import AsyncHTTPClient
import Foundation
import NIOCore

/// Fetches discovery over HTTP with a time limit and a size cap.
public struct HTTPDiscoveryFetcher: DiscoveryFetching {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let client: HTTPClient
    static let maxBytes = 8 << 20
    static let timeout: TimeAmount = .seconds(15)

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func fetch(_ url: String) async throws -> Data {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: Self.timeout)
        guard response.status == .ok else { throw Failure(description: "\(url) answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: Self.maxBytes)
        return Data(buffer: body)
    }
}
