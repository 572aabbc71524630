import FolioCore
import FolioTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FolioServer

/// The preview and conversion routes with the real engine (LibreOffice and poppler in the
/// sandbox): PDFs of any version, thumbnails made once per content, conversions beside the
/// file, documents that cannot be converted, and a full queue.
@Suite(.serialized) struct PreviewAPITests {
    static let rtf = #"{\rtf1\ansi\deff0 First page of the minutes\page Second page: budget}"#

    func app(_ f: ServerFixture, workers: Int = 2, queue: Int = 8) -> some ApplicationProtocol {
        var configuration = f.configuration
        configuration.previewWorkers = workers
        configuration.previewQueue = queue
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        return FolioApplication.make(folio: f.folio, configuration: configuration, logger: logger)
    }

    func pdfText(_ body: ByteBuffer) throws -> String {
        let file = temporaryPath("folio-pdf-") + ".pdf"
        try Data(buffer: body).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = [file, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func pdfsOfAnyVersionThumbnailsOnceAndConversionsBeside() async throws {
        let f = try await ServerFixture.make(content: Self.rtf, name: "minutes.rtf")
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        _ = try await f.folio.saveContent(
            BufferSequence([ByteBuffer(string: #"{\rtf1\ansi Second version}"#)]), expectedSize: nil, session: session,
            conditions: WriteConditions(lock: .none), source: .upload)
        let key = try await APITests().key(f)
        try await app(f).test(.router) { client in
            let current = try await client.execute(uri: "/api/v1/files/\(f.file.id)/pdf", method: .get, headers: key)
            #expect(current.status == .ok && current.headers[.contentType] == "application/pdf")
            #expect(try pdfText(current.body).contains("Second version"))
            let first = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/pdf?version=1", method: .get, headers: key)
            #expect(try pdfText(first.body).contains("First page of the minutes"))
            #expect(
                try await client.execute(uri: "/api/v1/files/\(f.file.id)/pdf?version=9", method: .get, headers: key)
                    .status == .notFound)

            let thumbnail = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/thumbnail?size=128", method: .get, headers: key)
            #expect(thumbnail.status == .ok && thumbnail.headers[.contentType] == "image/png")
            #expect(Array(thumbnail.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
            #expect(try await f.folio.derived.derived(sha256: version.sha256, kind: "thumbnail-128")?.blobKey != nil)
            #expect(
                try await client.execute(
                    uri: "/api/v1/files/\(f.file.id)/thumbnail?size=5", method: .get, headers: key
                ).status == .badRequest)

            // RTF to DOCX: a new file beside it.
            var headers = key
            headers[.contentType] = "application/json"
            let converted = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/convert", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"format":"docx"}"#))
            #expect(converted.status == .created)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: converted.body)) as? [String: Any]
            #expect(json?["name"] as? String == "minutes.docx" && json?["folderId"] as? String == f.file.folderID)
            let newID = try #require(json?["id"] as? String)
            #expect(try await f.read(newID).hasPrefix("PK"))
            let refused = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/convert", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"format":"exe"}"#))
            #expect(refused.status == .unprocessableContent)

            // Made once per content: asked again, the thumbnail comes from the blob store.
            // Without the version's content and the PDF it was drawn from it could not be made
            // again (a clock proved this before, and a loaded machine made it flaky).
            let pdf = try #require(try await f.folio.derived.derived(sha256: version.sha256, kind: "pdf")?.blobKey)
            try await f.folio.blobs.remove(pdf)
            try await f.folio.blobs.remove(version.blobKey)
            let cached = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/thumbnail?size=128", method: .get, headers: key)
            #expect(cached.status == .ok && cached.body == thumbnail.body)
        }
    }

    @Test func aDocumentThatCannotBeConvertedIsSaidSoOnceAndRemembered() async throws {
        // A ZIP header and then nothing a ZIP holds: LibreOffice cannot load it.
        let f = try await ServerFixture.make(
            content: "PK\u{3}\u{4}\u{14}\0\0\0garbage-garbage-garbage", name: "broken.docx")
        let key = try await APITests().key(f)
        try await app(f).test(.router) { client in
            let first = try await client.execute(uri: "/api/v1/files/\(f.file.id)/pdf", method: .get, headers: key)
            #expect(first.status == .unprocessableContent, "\(first.status) \(String(buffer: first.body))")
            #expect(String(buffer: first.body).contains("unconvertible"))
            let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
            #expect(try await f.folio.derived.derived(sha256: version.sha256, kind: "pdf")?.failure != nil)
            // Asked again: the same answer, without the engine (which would now fail otherwise:
            // the content it would convert is gone).
            try await f.folio.blobs.remove(version.blobKey)
            let second = try await client.execute(uri: "/api/v1/files/\(f.file.id)/pdf", method: .get, headers: key)
            #expect(second.status == .unprocessableContent, "\(second.status) \(String(buffer: second.body))")
            #expect(String(buffer: second.body).contains("unconvertible"))
        }
    }

    /// A thumbnail comes from the version's PDF: made first, outside the worker the thumbnail
    /// then takes. (It once held its worker while it waited for the PDF's: with one worker, or
    /// as many thumbnails at once as workers, the pool deadlocked.)
    @Test func thumbnailsOfNewDocumentsNeverDeadlockTheirPool() async throws {
        let f = try await ServerFixture.make(content: Self.rtf, name: "minutes.rtf")
        let other = try await f.folio.createFile(
            BufferSequence([ByteBuffer(string: #"{\rtf1\ansi Another}"#)]), expectedSize: nil, name: "other.rtf",
            folderID: f.file.folderID, owner: f.alice, source: .upload, uniqueName: false)
        let key = try await APITests().key(f)
        try await app(f, workers: 1, queue: 8).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
                for file in [f.file, other] {
                    group.addTask {
                        Int(
                            try await client.execute(
                                uri: "/api/v1/files/\(file.id)/thumbnail?size=64", method: .get, headers: key
                            ).status.code)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(60))
                    return nil
                }
                var statuses: [Int] = []
                while statuses.count < 2, let next = try await group.next() {
                    guard let status = next else { break }
                    statuses.append(status)
                }
                group.cancelAll()
                return statuses
            }
            #expect(statuses == [200, 200], "both thumbnails within a minute, with one worker")
        }
    }

    @Test func aFullQueueIsA503WithRetryAfter() async throws {
        let f = try await ServerFixture.make(content: Self.rtf, name: "minutes.rtf")
        var others: [StoredFile] = []
        for i in 0..<3 {
            others.append(
                try await f.folio.createFile(
                    BufferSequence([ByteBuffer(string: #"{\rtf1\ansi Document "# + "\(i)}")]), expectedSize: nil,
                    name: "doc\(i).rtf", folderID: f.file.folderID, owner: f.alice, source: .upload,
                    uniqueName: false))
        }
        let key = try await APITests().key(f)
        let all = [f.file] + others
        try await app(f, workers: 1, queue: 0).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for file in all {
                    group.addTask {
                        let r = try await client.execute(
                            uri: "/api/v1/files/\(file.id)/pdf", method: .get, headers: key)
                        return (Int(r.status.code), r.headers[.retryAfter])
                    }
                }
                var all: [(Int, String?)] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.contains { $0.0 == 200 })
            #expect(statuses.contains { $0.0 == 503 && $0.1 != nil }, "\(statuses)")
            #expect(statuses.allSatisfy { $0.0 == 200 || $0.0 == 503 })
        }
    }
}

/// The preview page, its page images and PDF, the convert button, for people and link guests.
@Suite(.serialized) struct PreviewPagesTests {
    @Test func peopleAndLinkGuestsSeeThePagesAndEditorsConvert() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let alice = try await WebPagesTests().signIn(f, f.alice)
        let app = PreviewAPITests().app(f)
        try await app.test(.router) { client in
            let page = try await client.execute(
                uri: "/files/\(f.file.id)/preview", method: .get, headers: alice.headers)
            #expect(page.status == .ok)
            // Two pages, each an image; the PDF; conversions for the editor.
            #expect(page.text.components(separatedBy: "<img src=\"/files/\(f.file.id)/preview/pages/").count == 3)
            #expect(page.text.contains("href=\"/files/\(f.file.id)/pdf\""))
            #expect(page.text.contains("value=\"docx\"") && page.text.contains("value=\"odt\""))
            let image = try await client.execute(
                uri: "/files/\(f.file.id)/preview/pages/2", method: .get, headers: alice.headers)
            #expect(image.status == .ok && image.headers[.contentType] == "image/png")
            #expect(
                try await client.execute(
                    uri: "/files/\(f.file.id)/preview/pages/9", method: .get, headers: alice.headers
                ).status == .notFound)
            let pdf = try await client.execute(uri: "/files/\(f.file.id)/pdf", method: .get, headers: alice.headers)
            #expect(pdf.status == .ok && String(buffer: pdf.body).hasPrefix("%PDF"))
            #expect(pdf.headers[.contentDisposition]?.contains("minutes%20%28v1%29.pdf") == true)

            let (headers, body) = alice.form(["format": "docx"])
            let converted = try await client.execute(
                uri: "/files/\(f.file.id)/convert", method: .post, headers: headers, body: body)
            #expect(converted.status == .seeOther)
            #expect(try await f.folio.files.nameExists(inFolder: f.file.folderID, name: "minutes.docx"))

            // The folder lists a thumbnail beside the document, whose name opens its preview
            // (no editor is configured); a file the engine cannot draw gets neither.
            _ = try await f.folio.createFile(
                BufferSequence([ByteBuffer(string: "PK")]), expectedSize: 2, name: "archive.zip",
                folderID: f.file.folderID, owner: f.alice, source: .upload, uniqueName: false)
            let listing = try await client.execute(
                uri: "/browse/\(f.file.folderID)", method: .get, headers: alice.headers)
            #expect(listing.text.contains("<img class=\"thumb\" src=\"/files/\(f.file.id)/thumbnail\""))
            #expect(listing.text.contains("href=\"/files/\(f.file.id)/preview\">minutes.rtf</a>"))
            #expect(listing.text.components(separatedBy: "class=\"thumb\"").count == 3, "the rtf and the docx only")
            // The listing never waits: 404 while it is made in the background (a request that
            // waited for the engine would get the PNG), then the PNG.
            let first = try await client.execute(
                uri: "/files/\(f.file.id)/thumbnail", method: .get, headers: alice.headers)
            #expect(first.status == .notFound)
            var thumbnail = first
            for _ in 0..<100 where thumbnail.status != .ok {
                try await Task.sleep(for: .milliseconds(100))
                thumbnail = try await client.execute(
                    uri: "/files/\(f.file.id)/thumbnail", method: .get, headers: alice.headers)
            }
            #expect(thumbnail.status == .ok && thumbnail.headers[.contentType] == "image/png")

            // A guest of a view link sees the pages, and no conversion.
            let link = try await f.folio.createLink(
                on: f.file.id, role: .view, expiresAt: nil, password: nil, by: f.alice)
            let (secret, _, _, _) = try await f.folio.joinLink(link.id, displayName: "Guest", password: nil)
            let guest = WebPagesTests.fields(["Cookie": "\(WebAuth.sessionCookie)=\(secret)"])
            let guestPage = try await client.execute(uri: "/files/\(f.file.id)/preview", method: .get, headers: guest)
            #expect(guestPage.status == .ok && guestPage.text.contains("/preview/pages/1"))
            #expect(!guestPage.text.contains("value=\"docx\""))
            // Someone with no access gets nothing.
            let bob = try await WebPagesTests().signIn(f, f.bob)
            #expect(
                try await client.execute(uri: "/files/\(f.file.id)/preview", method: .get, headers: bob.headers)
                    .status == .forbidden)
        }
    }

    /// Thumbnails beside each version, each shared file and each file in the trash; the
    /// trash's only for its owner.
    @Test func thumbnailsShowOnTheVersionsSharedAndTrashPages() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        _ = try await f.folio.saveContent(
            BufferSequence([ByteBuffer(string: #"{\rtf1\ansi Second version}"#)]), expectedSize: nil, session: session,
            conditions: WriteConditions(lock: .none), source: .upload)
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .view)
        let alice = try await WebPagesTests().signIn(f, f.alice)
        let bob = try await WebPagesTests().signIn(f, f.bob)
        try await PreviewAPITests().app(f).test(.router) { client in
            let versions = try await client.execute(
                uri: "/files/\(f.file.id)/versions", method: .get, headers: alice.headers)
            for number in 1...2 {
                #expect(
                    versions.text.contains(
                        "<img class=\"thumb\" src=\"/files/\(f.file.id)/thumbnail?version=\(number)\""))
            }
            // The first version's thumbnail, once made, is the first version's.
            func fetch(_ uri: String, _ headers: HTTPFields) async throws -> TestResponse {
                var answer = try await client.execute(uri: uri, method: .get, headers: headers)
                for _ in 0..<150 where answer.status == .notFound {
                    try await Task.sleep(for: .milliseconds(100))
                    answer = try await client.execute(uri: uri, method: .get, headers: headers)
                }
                return answer
            }
            let first = try await fetch("/files/\(f.file.id)/thumbnail?version=1", alice.headers)
            let second = try await fetch("/files/\(f.file.id)/thumbnail?version=2", alice.headers)
            #expect(first.status == .ok && second.status == .ok && first.body != second.body)

            let shared = try await client.execute(uri: "/shared", method: .get, headers: bob.headers)
            #expect(shared.text.contains("<img class=\"thumb\" src=\"/files/\(f.file.id)/thumbnail\""))
            #expect(try await fetch("/files/\(f.file.id)/thumbnail", bob.headers).body == second.body)

            try await f.folio.trashItem(.file, id: f.file.id, user: f.alice)
            let trash = try await client.execute(uri: "/trash", method: .get, headers: alice.headers)
            #expect(trash.text.contains("<img class=\"thumb\" src=\"/trash/file/\(f.file.id)/thumbnail\""))
            let trashed = try await fetch("/trash/file/\(f.file.id)/thumbnail", alice.headers)
            #expect(trashed.status == .ok && trashed.body == second.body)
            #expect(
                try await client.execute(
                    uri: "/trash/file/\(f.file.id)/thumbnail", method: .get, headers: bob.headers
                ).status == .notFound)
        }
    }
}
