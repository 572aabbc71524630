import AsyncHTTPClient

/// The HTTP client of the spaces that live on another server (WebDAV, a connector
/// application): connections are pooled; one that does not answer fails a call after 5 s
/// (connect) or 30 s without a byte, never hangs it. No redirects: a request (a signed one in
/// particular) goes only where it was meant to.
///
/// A download to a slow client holds its connection for as long as it lasts, so the pool is
/// not held to AsyncHTTPClient's eight per host: a request queued behind eight slow readers
/// would fail after the connect timeout. A refused connection fails its request at once
/// instead of being retried until the connect timeout: with this many connections a dead
/// host's retries backed off for up to half a minute under load, and the caller (an editor,
/// through a 503) retries anyway. (`S3Client.http` is set up the same way for buckets.)
enum StorageHTTPClient {
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1_024)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
