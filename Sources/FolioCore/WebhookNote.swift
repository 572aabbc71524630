import Foundation
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

    /// The event's JSON body for `file` as the change left it, written at `now` (µs).
    public func payload(for changed: StoredFile, now: Int64) -> String {
        let file = self.file ?? changed
        var data: [String: String] = [
            "fileId": file.id, "name": file.name, "folderId": file.folderID, "version": String(file.version),
            "size": String(file.size),
        ]
        data.merge(details) { _, new in new }
        let body: [String: AnyEncodable] = [
            "id": AnyEncodable(Identifier.random()), "event": AnyEncodable(event.rawValue),
            // The format style, not ISO8601DateFormatter: that one builds an ICU formatter per
            // call, which was a quarter of a Lock's CPU time.
            "createdAt": AnyEncodable(
                Date(timeIntervalSince1970: Double(now) / 1e6).formatted(Date.ISO8601FormatStyle())),
            "data": AnyEncodable(data),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings and dictionaries of strings always encode.
        return (try? encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
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
