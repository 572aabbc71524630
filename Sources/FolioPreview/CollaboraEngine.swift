import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore
import NIOHTTP1
import _NIOFileSystem

/// Collabora Online's convert-to service (`POST /cool/convert-to/FORMAT`, the document as the
/// multipart field `data`), for installations that run Collabora and not LibreOffice beside
/// Folio. Every node of a cluster converts alike: one that cannot be reached is skipped for
/// the next. Collabora accepts it only from addresses in coolwsd's `net.post_allow`.
public struct CollaboraEngine: OfficeEngine {
    /// The nodes' bases, e.g. `https://collabora.example.com` (discovery's origin).
    public let nodes: [String]
    let client: HTTPClient
    let timeLimit: Duration
    /// The largest result accepted.
    let maxBytes: Int64

    /// Like `HTTPClient.shared` (process-wide, never shut down), except that a node refusing
    /// the connection fails at once rather than being retried until the time limit: the next
    /// node is tried instead.
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public init(
        nodes: [String], client: HTTPClient = CollaboraEngine.client, timeLimit: Duration = .seconds(60),
        maxBytes: Int64 = 1 << 30
    ) {
        self.nodes = nodes
        self.client = client
        self.timeLimit = timeLimit
        self.maxBytes = maxBytes
    }

    /// The base of a Collabora from its discovery URL (`…/hosting/discovery` taken off).
    public static func base(ofDiscovery url: String) -> String {
        var base = url
        if let query = base.firstIndex(of: "?") { base = String(base[..<query]) }
        for suffix in ["/hosting/discovery", "/"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        return base
    }

    public var name: String { "Collabora convert-to at " + nodes.joined(separator: ", ") }
    public var missingTools: [String] { [] }

    public func convert(_ input: URL, to ext: String, scratch: URL) async throws -> URL {
        let output = scratch.appendingPathComponent("converted." + ext)
        var unreachable: [String] = []
        for node in nodes {
            do {
                try await convert(input, to: ext, at: node, into: output)
                return output
            } catch let error as ConversionError {
                guard case .unavailable(let reason) = error else { throw error }
                unreachable.append(reason)
            }
        }
        throw ConversionError.unavailable(unreachable.joined(separator: "; "))
    }

    /// Whether the node's `/hosting/capabilities` offers convert-to (doctor asks).
    public func offersConvertTo(_ node: String) async throws -> Bool {
        let response = try await client.execute(
            HTTPClientRequest(url: node + "/hosting/capabilities"), timeout: .seconds(10))
        guard response.status == .ok else {
            throw ConversionError.unavailable("\(node)/hosting/capabilities answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        struct Capabilities: Decodable {
            struct ConvertTo: Decodable { var available: Bool? }
            var convertTo: ConvertTo?
            enum CodingKeys: String, CodingKey { case convertTo = "convert-to" }
        }
        return try JSONDecoder().decode(Capabilities.self, from: Data(body.readableBytesView)).convertTo?.available
            == true
    }

    func convert(_ input: URL, to ext: String, at node: String, into output: URL) async throws {
        let boundary = "folio-" + Identifier.random()
        let head = ByteBuffer(
            string:
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"data\"; filename=\"\(input.lastPathComponent)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
        let tail = ByteBuffer(string: "\r\n--\(boundary)--\r\n")
        let size = Int64((try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? 0)
        var request = HTTPClientRequest(url: node + "/cool/convert-to/" + ext)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        let seconds = Int64(timeLimit.components.seconds)
        let response: HTTPClientResponse
        do {
            response = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(input.path)) { handle in
                request.body = .stream(
                    MultipartBody(head: head, file: handle.readChunks(), tail: tail),
                    length: .known(Int64(head.readableBytes) + size + Int64(tail.readableBytes)))
                return try await client.execute(request, timeout: .seconds(seconds))
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw ConversionError.timedOut(timeLimit)
        } catch {
            throw ConversionError.unavailable("Collabora at \(node) could not be reached: \(error)")
        }
        switch response.status.code {
        case 200:
            break
        case 400, 415, 422, 500:
            // The document (or the format) is what it could not convert.
            throw ConversionError.failed(
                "Collabora could not convert the document to .\(ext) (\(response.status.code))")
        case 403:
            throw ConversionError.unavailable(
                "Collabora at \(node) refused convert-to (403): add Folio's address to net.post_allow in coolwsd.xml")
        default:
            throw ConversionError.unavailable("Collabora at \(node) answered convert-to with \(response.status.code)")
        }
        var written: Int64 = 0
        try await FileSystem.shared.withFileHandle(
            forWritingAt: FilePath(output.path), options: .newFile(replaceExisting: true)
        ) { handle in
            var writer = handle.bufferedWriter()
            for try await chunk in response.body {
                written += Int64(chunk.readableBytes)
                guard written <= maxBytes else { throw ConversionError.failed("the converted document is too large") }
                try await writer.write(contentsOf: chunk)
            }
            try await writer.flush()
        }
        guard written > 0 else { throw ConversionError.failed("Collabora's .\(ext) was empty") }
    }
}

/// The multipart form around the document's bytes, streamed.
struct MultipartBody<File: AsyncSequence & Sendable>: AsyncSequence, Sendable where File.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let head: ByteBuffer
    let file: File
    let tail: ByteBuffer

    struct AsyncIterator: AsyncIteratorProtocol {
        var stage = 0
        let head: ByteBuffer
        var file: File.AsyncIterator
        let tail: ByteBuffer

        mutating func next() async throws -> ByteBuffer? {
            switch stage {
            case 0:
                stage = 1
                return head
            case 1:
                if let chunk = try await file.next() { return chunk }
                stage = 2
                return tail
            default:
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(head: head, file: file.makeAsyncIterator(), tail: tail)
    }
}
