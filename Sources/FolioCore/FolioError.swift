/// Domain errors. The HTTP layer maps each to a status code; the message is for people.
public enum FolioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token is missing, malformed, expired, for another resource, or no longer backed by a grant.
    case unauthorized(String)
    case notFound(String)
    /// A WOPI lock conflict: 409 with `X-WOPI-Lock: current`.
    case lockConflict(current: String, reason: String)
    /// Collabora's timestamp check failed: the file changed since the editor loaded it.
    case modifiedSince
    /// A name is already used in the folder; `suggestion` is a free one.
    case nameTaken(suggestion: String)
    case invalidName(String)
    case badRequest(String)
    case forbidden(String)
    case tooLarge(limit: Int64)
    case truncated(expected: Int64, received: Int64)
    case preconditionFailed(String)
    case notImplemented(String)
    case conflict(String)
    case storage(String)
    /// A store Folio depends on (the object store, the database server) did not answer: 503
    /// with `Retry-After`, as it is expected to pass without anyone doing anything.
    case unavailable(String)
    /// A WOPI proof did not verify (PROTOCOL.md §A.11): 500, as the protocol asks.
    case proofFailed(String)

    /// Seconds a client is asked to wait (`Retry-After`) after `unavailable`.
    public static let retryAfterSeconds = "5"

    /// The conflict a lock table decision reports, with a reason for `X-WOPI-LockFailureReason`.
    public static func lockMismatch(current: String) -> FolioError {
        .lockConflict(
            current: current, reason: current.isEmpty ? "the file is not locked" : "the file is locked with another id")
    }

    /// The errors WOPI answers with 409 Conflict.
    public var isConflict: Bool {
        switch self {
        case .lockConflict, .modifiedSince, .nameTaken, .conflict: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let m), .notFound(let m), .invalidName(let m), .badRequest(let m),
            .forbidden(let m), .preconditionFailed(let m), .notImplemented(let m), .conflict(let m),
            .storage(let m), .unavailable(let m), .proofFailed(let m):
            m
        case .lockConflict(_, let reason): reason
        case .modifiedSince: "the file was changed since the editor loaded it"
        case .nameTaken(let suggestion): "the name is taken; \(suggestion) is free"
        case .tooLarge(let limit): "the content is larger than the limit of \(limit) bytes"
        case .truncated(let expected, let received):
            "the upload was cut off: \(received) of \(expected) bytes arrived"
        }
    }
}
