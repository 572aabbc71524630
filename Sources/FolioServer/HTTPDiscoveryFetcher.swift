import AsyncHTTPClient
import Foundation
import NIOCore

/// Fetches discovery over HTTP with a time limit and a size cap.
public struct HTTPDiscoveryFetcher: DiscoveryFetching {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let client: HTTPClient
    /// How long one fetch may take. The client retries a refused connection until then, so a
    /// cluster's node that is down is noticed only when it ends: keep it near the check interval.
    let timeout: TimeAmount
    static let maxBytes = 8 << 20
    public static let timeout: TimeAmount = .seconds(15)

    public init(client: HTTPClient = .shared, timeout: TimeAmount = Self.timeout) {
        self.client = client
        self.timeout = timeout
    }

    public func fetch(_ url: String) async throws -> Data {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
        guard response.status == .ok else { throw Failure(description: "\(url) answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: Self.maxBytes)
        return Data(buffer: body)
    }
}
