/// The WOPI lock decision table (PROTOCOL.md §A.3) as a pure function, so every store applies
/// exactly the same rules inside its own compare-and-set transaction.
public enum LockOperation: Sendable, Equatable {
    /// `LOCK` without `X-WOPI-OldLock`.
    case lock(String)
    /// `LOCK` with `X-WOPI-OldLock`: S/O judged on the old id.
    case unlockAndRelock(old: String, new: String)
    case refresh(String)
    case unlock(String)
    case getLock
    /// PutFile; `lock` is `X-WOPI-Lock` (nil when absent), `currentSize` the stored size.
    case putFile(lock: String?, currentSize: Int64)
    /// RenameFile; `lock` is `X-WOPI-Lock` (nil when absent).
    case rename(lock: String?)
    case delete
}

/// What the store must do to the lock row when an operation is allowed.
public enum LockEffect: Sendable, Equatable {
    /// Leave the lock as it is (GetLock, PutFile, RenameFile, DeleteFile).
    case keep
    /// Take, re-take (reset the timer) or replace the lock with this id.
    case set(String)
    /// Remove the lock.
    case release
}

public enum LockDecision: Sendable, Equatable {
    case allow(LockEffect)
    /// 409 with `X-WOPI-Lock` set to `current` ("" when the file is not locked).
    case conflict(current: String)
}

public enum LockTable {
    /// Decides an operation against the current lock id (`nil` when unlocked or expired; the
    /// caller resolves expiry). Lock ids compare byte for byte.
    public static func decide(_ operation: LockOperation, current: String?) -> LockDecision {
        switch operation {
        case .lock(let id):
            guard let current else { return .allow(.set(id)) }
            return same(current, id) ? .allow(.set(id)) : .conflict(current: current)
        case .unlockAndRelock(let old, let new):
            guard let current else { return .conflict(current: "") }
            return same(current, old) ? .allow(.set(new)) : .conflict(current: current)
        case .refresh(let id):
            guard let current else { return .conflict(current: "") }
            return same(current, id) ? .allow(.set(id)) : .conflict(current: current)
        case .unlock(let id):
            guard let current else { return .conflict(current: "") }
            return same(current, id) ? .allow(.release) : .conflict(current: current)
        case .getLock:
            return .allow(.keep)
        case .putFile(let id, let size):
            guard let current else { return size == 0 ? .allow(.keep) : .conflict(current: "") }
            guard let id, same(current, id) else { return .conflict(current: current) }
            return .allow(.keep)
        case .rename(let id):
            guard let current else { return .allow(.keep) }
            guard let id, same(current, id) else { return .conflict(current: current) }
            return .allow(.keep)
        case .delete:
            guard let current else { return .allow(.keep) }
            return .conflict(current: current)
        }
    }

    /// Byte-for-byte comparison: Swift's `==` on String uses canonical equivalence, which
    /// would treat differently normalised lock ids as equal.
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }
}
