import Synchronization

/// How a gateway wants the ETag in an `If-Match` header. HTTP and AWS S3 (and MinIO) take the
/// quoted entity-tag `"…"`; Ceph RGW compares the header with its stored ETag without quotes,
/// so the quoted form never matches there (STACK.md). Folio sends the quoted form first; when
/// a gateway refuses it while a HEAD shows the very same ETag, the condition did hold, so the
/// write is tried once more with the other form (itself conditional: atomic either way), and
/// the form that worked is remembered for that endpoint for the life of the process.
public enum IfMatchForm: Sendable, Equatable {
    case quoted
    case unquoted

    public func header(_ etag: String) -> String {
        switch self {
        case .quoted: ObjectHead.canonical(etag)
        case .unquoted: ObjectHead.bare(etag)
        }
    }

    public var other: IfMatchForm { self == .quoted ? .unquoted : .quoted }

    private static let learned = Mutex<[String: IfMatchForm]>([:])

    /// The form to try first at `endpoint` (scheme, host and port).
    public static func preferred(at endpoint: String) -> IfMatchForm {
        learned.withLock { $0[endpoint] } ?? .quoted
    }

    static func learn(_ form: IfMatchForm, at endpoint: String) {
        learned.withLock { $0[endpoint] = form }
    }
}
