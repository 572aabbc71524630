import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// In each HTTP/1 connection's pipeline, in front of Hummingbird's request handling: answers a
/// request itself when `answer` can do so at once (`ImmediateCheckFileInfo`), and passes every
/// other request on. While a request it passed on is still being answered it answers nothing,
/// so responses always leave in request order, also when a client pipelines.
final class ImmediateAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let answer: @Sendable (HTTPRequest) -> [UInt8]?
    let dates: HTTPDate
    let serverName: String
    /// Hears each request answered here and how long it took (the access log), when set.
    let answered: (@Sendable (HTTPRequest, Duration) -> Void)?
    /// Requests passed on whose response has not ended yet.
    private var passedOn = 0
    /// The current request was answered here; its remaining parts are dropped.
    private var dropping = false

    init(
        answer: @escaping @Sendable (HTTPRequest) -> [UInt8]?, dates: HTTPDate, serverName: String,
        answered: (@Sendable (HTTPRequest, Duration) -> Void)? = nil
    ) {
        self.answer = answer
        self.dates = dates
        self.serverName = serverName
        self.answered = answered
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            let start = ContinuousClock.now
            if passedOn == 0, let json = answer(head) {
                dropping = true
                respond(json, context: context)
                answered?(head, start.duration(to: .now))
                return
            }
            dropping = false
            passedOn += 1
        case .body:
            if dropping { return }
        case .end:
            if dropping {
                dropping = false
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A response that ends without a request passed on (a parse error) leaves the count below
        // zero, which only stops this handler from answering on a connection about to close.
        if case .end = unwrapOutboundIn(data) { passedOn -= 1 }
        context.write(data, promise: promise)
    }

    /// The same head the router writes for JSON: status, type, length, date and server.
    private func respond(_ json: [UInt8], context: ChannelHandlerContext) {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(json.count)
        fields[.date] = dates.now
        fields[.server] = serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: json))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
