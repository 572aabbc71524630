/// Rules for lock ids sent by clients.
public enum LockID {
    /// With `SupportsExtendedLockLength` clients may send up to 1024 characters.
    public static let maxLength = 1024
    /// How long a lock lives after the last Lock / RefreshLock / UnlockAndRelock.
    public static let lifetimeSeconds: Int64 = 30 * 60

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case tooLong(Int)

        public var description: String {
            switch self {
            case .missing: "X-WOPI-Lock is missing or empty"
            case .tooLong(let n): "X-WOPI-Lock is \(n) bytes; at most \(LockID.maxLength) are allowed"
            }
        }
    }

    /// Validates a lock id from a required header; `nil` means the header was absent.
    public static func validate(_ value: String?) -> Result<String, Problem> {
        guard let value, !value.isEmpty else { return .failure(.missing) }
        let length = value.utf8.count
        guard length <= maxLength else { return .failure(.tooLong(length)) }
        return .success(value)
    }
}
