import FolioCore
import FolioS3
import FolioTestSupport
import Foundation
import NIOCore
import Testing

/// A store nobody answers for: every call fails within seconds with `unavailable` (503 with
/// Retry-After at the HTTP layer), never a hang and never a generic internal error.
@Suite struct UnreachableStoreTests {
    static func store() throws -> S3BlobStore {
        let location = try BucketLocation(url: "s3://folio-down?endpoint=http://127.0.0.1:\(try closedLoopbackPort())")
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: nil)
        return S3BlobStore(client: S3Client(location: location, credentials: credentials))
    }

    static func isUnavailable(_ error: any Error) -> Bool {
        if case FolioError.unavailable(let message) = error { return message.contains("did not answer") }
        return false
    }

    /// A refused connection fails the call at once (no retries: see `S3Client.http`); one that
    /// is not answered, at the 5 s connect timeout. The bound leaves room for a slow machine.
    static func failsSoon(_ call: () async throws -> Void) async {
        let started = Date()
        do {
            try await call()
            Issue.record("the call succeeded with no store to answer it")
        } catch {
            #expect(isUnavailable(error), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func everyCallFailsAsUnavailable() async throws {
        let store = try Self.store()
        // At once, so the suite waits one connect timeout, not four.
        async let opened: Void = Self.failsSoon { _ = try await store.open("k", range: nil) }
        async let written: Void = Self.failsSoon {
            _ = try await store.write(BufferSequence([ByteBuffer(string: "content")]), maxBytes: 100, expectedSize: 7)
        }
        async let probed: Void = Self.failsSoon { try await store.checkWritable() }
        async let listed: Void = Self.failsSoon { _ = try await store.inventory() }
        _ = await (opened, written, probed, listed)
    }
}
