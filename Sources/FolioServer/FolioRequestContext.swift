import Hummingbird
import NIOCore

/// A request context that knows its connection's event loop, which a streamed response waits
/// on between chunks (`ContentResponse`).
protocol StreamingRequestContext: RequestContext {
    var eventLoop: any EventLoop { get }
}

/// The context of every request Folio's router serves: Hummingbird's own, plus the event loop.
public struct FolioRequestContext: StreamingRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.eventLoop = source.channel.eventLoop
    }
}
