import WOPI

/// A webhook event that goes with a change: the store writes its deliveries in the same
/// transaction as the change (the deliveries table is the outbox), so a crash between the two
/// can no longer lose an event, and an event is never sent for a change that did not commit.
public struct WebhookNote: Sendable, Equatable {
    public var event: WebhookEvent
    public var details: [String: String]
    /// The file as the event shows it where the change does not give it (a lock, a delete);
    /// otherwise the file as the change leaves it.
    public var file: StoredFile?

    public init(_ event: WebhookEvent, details: [String: String] = [:], file: StoredFile? = nil) {
        self.event = event
        self.details = details
        self.file = file
    }

    /// The event's JSON body for `file` as the change left it, written at `now` (µs): keys
    /// sorted, `createdAt` in whole seconds. Written straight to bytes: JSONEncoder with a
    /// date style was 3 % of a PostgreSQL save's CPU time (PostgreSQL's save makes the body
    /// before it knows whether a webhook listens).
    public func payload(for changed: StoredFile, now: Int64) -> String {
        let file = self.file ?? changed
        var data: [String: String] = [
            "fileId": file.id, "name": file.name, "folderId": file.folderID, "version": String(file.version),
            "size": String(file.size),
        ]
        data.merge(details) { _, new in new }
        var body = JSONWriter()
        body.add("createdAt", WOPITime.formatSeconds(microseconds: now))
        body.add("data", data)
        body.add("event", event.rawValue)
        body.add("id", Identifier.random())
        return String(decoding: body.finished(), as: UTF8.self)
    }

    /// A lock operation's event, when it took or gave back the lock (a refresh is none):
    /// `locked` says which way.
    public func forLock(_ operation: LockOperation, _ result: LockResult) -> WebhookNote? {
        switch operation {
        case .lock, .unlockAndRelock, .unlock: break
        default: return nil
        }
        guard case .allow(let effect) = result.decision else { return nil }
        var note = self
        switch effect {
        case .set: note.details["locked"] = "true"
        case .release: note.details["locked"] = "false"
        case .keep: return nil
        }
        return note
    }
}
