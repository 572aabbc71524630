import FolioCore
import HTTPTypes
import Hummingbird
import Metrics
import Synchronization
import WOPI

/// CheckFileInfo answered without leaving the event loop when nothing has to be awaited: the
/// token verifies, a proof (if the editor publishes a key) verifies with the key already loaded,
/// and the file, user and role are in the access cache. Any other case returns nil and the
/// request takes the router, which answers it the same way or reports what is wrong.
/// Editors call CheckFileInfo more than anything else; skipping the hop into a task for it
/// roughly doubles its throughput (README, Performance).
struct ImmediateCheckFileInfo: Sendable {
    let folio: Folio
    let fileInfo: CheckFileInfoBuilder
    let proofs: ProofChecker
    let answered = AnswerCount()

    /// How many requests were answered here (tests check the lane is taken).
    final class AnswerCount: Sendable {
        private let value = Atomic<Int>(0)
        /// The same count for /metrics (these requests never reach the router's middleware).
        private let counter = Counter(label: "folio_checkfileinfo_immediate_total")
        var current: Int { value.load(ordering: .relaxed) }
        func add() {
            value.add(1, ordering: .relaxed)
            counter.increment()
        }
    }

    func answer(_ head: HTTPRequest) -> [UInt8]? {
        guard head.method == .get, let path = head.path, let target = Target(path) else { return nil }
        let fields = head.headerFields
        // A body or a connection to close are the router's business.
        if let length = fields[.contentLength], length != "0" { return nil }
        if fields[.transferEncoding] != nil { return nil }
        if let connection = fields[.connection], connection.lowercased().contains("close") { return nil }
        let token: String
        switch target.token {
        case .plain(let value): token = value
        case .absent:
            guard let bearer = Request.bearerToken(fields[.authorization]) else { return nil }
            token = bearer
        case .unusual: return nil
        }
        guard let grant = folio.signer.verify(token) else { return nil }
        if let editor = grant.editor,
            !proofs.acceptsWithoutWaiting(target: path, headers: fields, token: token, editor: editor)
        {
            return nil
        }
        guard let session = folio.cachedFileSession(grant: grant, fileID: target.fileID) else { return nil }
        answered.add()
        return fileInfo.build(session).json()
    }

    /// `/wopi/files/{id}?…` with nothing the router would read differently: no percent-encoding
    /// in the id or the token, no second `access_token`.
    struct Target {
        enum Token: Equatable {
            case plain(String)
            case absent
            /// Encoded, repeated or otherwise not worth second-guessing the router on.
            case unusual
        }

        let fileID: String
        let token: Token

        init?(_ path: String) {
            let prefix = "/wopi/files/"
            guard path.hasPrefix(prefix) else { return nil }
            let rest = path.utf8.dropFirst(prefix.utf8.count)
            let question = rest.firstIndex(of: UInt8(ascii: "?"))
            let id = rest[..<(question ?? rest.endIndex)]
            guard !id.isEmpty, !id.contains(UInt8(ascii: "/")), !id.contains(UInt8(ascii: "%")) else { return nil }
            fileID = String(Substring(id))
            guard let question else {
                token = .absent
                return
            }
            var found = Token.absent
            var seen = false
            for parameter in rest[rest.index(after: question)...].split(separator: UInt8(ascii: "&")) {
                let name = "access_token=".utf8
                guard parameter.starts(with: name) else { continue }
                let value = parameter.dropFirst(name.count)
                if seen || value.contains(UInt8(ascii: "%")) || value.contains(UInt8(ascii: "+")) {
                    found = .unusual
                    break
                }
                seen = true
                // An empty access_token falls back to the Authorization header, as in the router.
                if !value.isEmpty { found = .plain(String(decoding: value, as: UTF8.self)) }
            }
            token = found
        }
    }
}
