import FolioCore
import Foundation
import Testing

/// A webhook body is what receivers parse: the same fields, values and time as JSONEncoder
/// wrote them before, whatever characters names hold.
@Suite struct WebhookNoteTests {
    let file = StoredFile(
        id: "f1", folderID: "d1", ownerID: "u1", name: "Plan \"Q3\"\\draft\n\u{1}é/ü.docx", version: 7, size: 1234,
        sha256: [], blobKey: "b", modifiedAt: 0, createdAt: 0)

    func decoded(_ payload: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
    }

    @Test func bodyHasTheEventTheFileAndTheDetails() throws {
        let note = WebhookNote(.fileSaved, details: ["author": "alice", "editor": "collabora", "version": "override"])
        let now: Int64 = 1_796_000_000_654_321
        let payload = note.payload(for: file, now: now)
        let body = try decoded(payload)
        #expect(body["event"] as? String == "file.saved")
        #expect((body["id"] as? String)?.isEmpty == false)
        #expect(body["createdAt"] as? String == "2026-11-30T00:53:20Z")
        let created = try #require(ISO8601DateFormatter().date(from: body["createdAt"] as! String))
        #expect(Int64(created.timeIntervalSince1970) == now / 1_000_000)
        let data = try #require(body["data"] as? [String: String])
        #expect(
            data == [
                "fileId": "f1", "name": file.name, "folderId": "d1", "version": "override", "size": "1234",
                "author": "alice", "editor": "collabora",
            ])
        // Keys in order, at both levels (receivers that sign or compare bodies see one form).
        #expect(payload.hasPrefix("{\"createdAt\":"))
        let order = ["\"author\"", "\"editor\"", "\"fileId\"", "\"folderId\"", "\"name\"", "\"size\"", "\"version\""]
            .map { payload.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        // Two bodies of one change are two events.
        #expect(try decoded(note.payload(for: file, now: now))["id"] as? String != body["id"] as? String)
    }

    @Test func theNotesOwnFileWinsOverTheChangedOne() throws {
        var gone = file
        gone.name = "before.docx"
        let body = try decoded(WebhookNote(.fileDeleted, file: gone).payload(for: file, now: 0))
        #expect((body["data"] as? [String: String])?["name"] == "before.docx")
        #expect(body["createdAt"] as? String == "1970-01-01T00:00:00Z")
    }
}
