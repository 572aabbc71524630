import FolioCore

/// What went wrong talking to the object store, said so an operator can act on it.
public enum S3Error: Error, CustomStringConvertible, Equatable {
    /// The store answered with an error status: its S3 code and message when it sent them.
    case status(operation: String, status: Int, code: String, message: String)
    /// The answer could not be understood.
    case malformed(String)
    /// No object under that key.
    case noSuchKey(String)

    public var description: String {
        switch self {
        case .status(let operation, let status, let code, let message):
            "the object store refused \(operation): HTTP \(status)" + (code.isEmpty ? "" : " \(code)")
                + (message.isEmpty ? "" : ": \(message)")
        case .malformed(let text): text
        case .noSuchKey(let key): "the object store has no object \(key)"
        }
    }
}
