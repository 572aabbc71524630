import Crypto
import FolioCore
import Foundation
import HummingbirdTesting
import NIOCore
import Testing

/// Races and broken connections against a live server on loopback.
@Suite struct WOPIConcurrencyTests {
    @Test func concurrentLocksOverHTTPHaveOneWinner() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.ahc(.http)) { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await client.execute(
                            uri: f.uri(), method: .post,
                            headers: headers(["X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L\(i)"])
                        ).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 39)
        }
    }

    @Test func concurrentPutFilesAllLandIntact() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.ahc(.http)) { client in
            try await client.execute(
                uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L"]))
            let bodies = (0..<16).map { i in String(repeating: "\(i)-", count: 20_000 + i) }
            let versions = try await withThrowingTaskGroup(of: String?.self) { group in
                for body in bodies {
                    group.addTask {
                        let r = try await client.execute(
                            uri: f.uri(nil, "/contents"), method: .post,
                            headers: headers(["X-WOPI-Override": "PUT", "X-WOPI-Lock": "L"]),
                            body: ByteBuffer(string: body))
                        return r.status == .ok ? r.header("X-WOPI-ItemVersion") : nil
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(versions.compactMap { $0 }) == Set((2...17).map(String.init)))
            // Every version holds exactly one of the bodies, whole.
            let stored = try await f.folio.files.versions(fileID: f.file.id).dropFirst()
            let expected = Set(bodies.map { Array(SHA256.hash(data: Data($0.utf8))) })
            #expect(Set(stored.map(\.sha256)) == expected)
            let current = try await f.folio.files.file(id: f.file.id)!
            #expect(try await f.read(f.file.id).utf8.count == Int(current.size))
        }
    }

    @Test func aCutOffUploadChangesNothing() async throws {
        let f = try await ServerFixture.make()
        _ = try await f.folio.lock(
            .lock("L"), session: try await f.folio.authorizeFile(token: f.token(), fileID: f.file.id))
        try await f.app.test(.live) { client in
            let port = try #require(client.port)
            // Announce 100 000 bytes, send 30 000, then hang up.
            let head =
                "POST \(f.uri(nil, "/contents")) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-WOPI-Override: PUT\r\nX-WOPI-Lock: L\r\n"
                + "Content-Length: 100000\r\n\r\n"
            try await RawSocket.sendAndClose(port: port, bytes: Array(head.utf8) + Array(repeating: 65, count: 30_000))
            // Give the server a moment to notice the hang-up and clean up.
            try await Task.sleep(for: .milliseconds(500))
            try await client.execute(uri: f.uri(nil, "/contents"), method: .get) { #expect($0.text == "hello") }
        }
        #expect(try await f.folio.files.versions(fileID: f.file.id).count == 1)
        // Nothing staged is left either (beside the blobs, nor where older versions staged).
        #expect(try await f.folio.blobs.inventory().staged.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.path + "/blobs/incoming").isEmpty)
        #expect(try (f.folio.blobs as! DirectoryBlobStore).allKeys() == [f.file.blobKey])
    }
}
