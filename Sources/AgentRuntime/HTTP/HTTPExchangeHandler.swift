import NIOCore
import NIOHTTP1

/// Writes one request when the connection opens and collects the answer into a promise. The
/// promise is completed once: by the answer, an error, an answer too big, or the connection
/// closing first (whatever comes first; the caller's deadline may complete it too).
final class HTTPExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: [UInt8]
        var maxResponseBytes: Int
    }

    private let request: Request
    private let promise: EventLoopPromise<AgentHTTPResponse>
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []

    init(request: Request, promise: EventLoopPromise<AgentHTTPResponse>) {
        self.request = request
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if !request.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: request.body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            headers = head.headers.map { (name: $0.name.lowercased(), value: $0.value) }
        case .body(let part):
            guard body.count + part.readableBytes <= request.maxResponseBytes else {
                promise.fail(AgentHTTPError.failed("the answer is over \(request.maxResponseBytes) bytes"))
                context.close(promise: nil)
                return
            }
            body.append(contentsOf: part.readableBytesView)
        case .end:
            promise.succeed(AgentHTTPResponse(status: status, headers: headers, body: body))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(AgentHTTPError.failed("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(AgentHTTPError.failed("the connection closed before the answer ended"))
        context.fireChannelInactive()
    }
}
