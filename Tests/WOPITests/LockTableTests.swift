import Testing
import WOPI

/// PROTOCOL.md §A.3 cell by cell: U = unlocked (or expired), S = locked with the id sent,
/// O = locked with another id.
@Suite struct LockTableTests {
    let held = "lock-A"
    let other = "lock-B"

    @Test func lock() {
        #expect(LockTable.decide(.lock(held), current: nil) == .allow(.set(held)))
        #expect(LockTable.decide(.lock(held), current: held) == .allow(.set(held)))
        #expect(LockTable.decide(.lock(other), current: held) == .conflict(current: held))
    }

    @Test func unlockAndRelockJudgesTheOldLock() {
        #expect(LockTable.decide(.unlockAndRelock(old: held, new: other), current: nil) == .conflict(current: ""))
        #expect(LockTable.decide(.unlockAndRelock(old: held, new: other), current: held) == .allow(.set(other)))
        #expect(LockTable.decide(.unlockAndRelock(old: other, new: held), current: held) == .conflict(current: held))
    }

    @Test func refreshLock() {
        #expect(LockTable.decide(.refresh(held), current: nil) == .conflict(current: ""))
        #expect(LockTable.decide(.refresh(held), current: held) == .allow(.set(held)))
        #expect(LockTable.decide(.refresh(other), current: held) == .conflict(current: held))
    }

    @Test func unlock() {
        #expect(LockTable.decide(.unlock(held), current: nil) == .conflict(current: ""))
        #expect(LockTable.decide(.unlock(held), current: held) == .allow(.release))
        #expect(LockTable.decide(.unlock(other), current: held) == .conflict(current: held))
    }

    @Test func getLockAlwaysSucceeds() {
        #expect(LockTable.decide(.getLock, current: nil) == .allow(.keep))
        #expect(LockTable.decide(.getLock, current: held) == .allow(.keep))
    }

    @Test func putFile() {
        // Unlocked: only a 0-byte file may be written (the create-new flow).
        #expect(LockTable.decide(.putFile(lock: nil, currentSize: 0), current: nil) == .allow(.keep))
        #expect(LockTable.decide(.putFile(lock: held, currentSize: 0), current: nil) == .allow(.keep))
        #expect(LockTable.decide(.putFile(lock: nil, currentSize: 5), current: nil) == .conflict(current: ""))
        #expect(LockTable.decide(.putFile(lock: held, currentSize: 5), current: nil) == .conflict(current: ""))
        #expect(LockTable.decide(.putFile(lock: held, currentSize: 5), current: held) == .allow(.keep))
        #expect(LockTable.decide(.putFile(lock: other, currentSize: 5), current: held) == .conflict(current: held))
        #expect(LockTable.decide(.putFile(lock: nil, currentSize: 0), current: held) == .conflict(current: held))
    }

    @Test func renameFile() {
        #expect(LockTable.decide(.rename(lock: nil), current: nil) == .allow(.keep))
        #expect(LockTable.decide(.rename(lock: held), current: nil) == .allow(.keep))
        #expect(LockTable.decide(.rename(lock: held), current: held) == .allow(.keep))
        #expect(LockTable.decide(.rename(lock: other), current: held) == .conflict(current: held))
        #expect(LockTable.decide(.rename(lock: nil), current: held) == .conflict(current: held))
    }

    @Test func deleteFile() {
        #expect(LockTable.decide(.delete, current: nil) == .allow(.keep))
        #expect(LockTable.decide(.delete, current: held) == .conflict(current: held))
    }

    @Test func idsCompareByteForByte() {
        // "é" precomposed and decomposed are canonically equal Strings but different bytes.
        let precomposed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(LockTable.decide(.unlock(decomposed), current: precomposed) == .conflict(current: precomposed))
        #expect(LockTable.decide(.lock("ABC"), current: "abc") == .conflict(current: "abc"))
    }

    @Test func lockIDRules() {
        #expect(LockID.validate(nil) == .failure(.missing))
        #expect(LockID.validate("") == .failure(.missing))
        #expect(LockID.validate(String(repeating: "x", count: 1024)) == .success(String(repeating: "x", count: 1024)))
        #expect(LockID.validate(String(repeating: "x", count: 1025)) == .failure(.tooLong(1025)))
    }
}
