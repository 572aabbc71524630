import Crypto
import FolioCore
import FolioTestSupport
import Foundation
import Testing

@Suite struct DirectoryBlobStoreTests {
    func store() throws -> (DirectoryBlobStore, String) {
        let root = try temporaryFolder() + "/blobs"
        return (try DirectoryBlobStore(root: root), root)
    }

    /// Every file under the store's root, staging folder included.
    func files(under root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }
    }

    @Test func writesStreamsHashesAndReadsBack() async throws {
        let (blobs, root) = try store()
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let blob = try await blobs.write(Chunks(bytes, chunk: 4093), maxBytes: 1 << 20, expectedSize: 100_000)
        #expect(blob.size == 100_000)
        #expect(blob.sha256 == Array(SHA256.hash(data: bytes)))
        var read: [UInt8] = []
        try await blobs.read(blob.key, range: nil) { read += Array(buffer: $0) }
        #expect(read == bytes)
        var middle: [UInt8] = []
        try await blobs.read(blob.key, range: 10..<20) { middle += Array(buffer: $0) }
        #expect(middle == Array(bytes[10..<20]))
        #expect(files(under: root) == [String(blob.key.prefix(2)) + "/" + blob.key])
    }

    @Test func emptyContentIsABlobToo() async throws {
        let (blobs, _) = try store()
        let blob = try await blobs.write(Chunks([]), maxBytes: 10, expectedSize: 0)
        #expect(blob.size == 0 && blob.sha256 == Array(SHA256.hash(data: [UInt8]())))
    }

    @Test func tooLargeLeavesNothingBehind() async throws {
        let (blobs, root) = try store()
        await #expect(throws: FolioError.tooLarge(limit: 10)) {
            _ = try await blobs.write(Chunks(Array(repeating: 1, count: 11)), maxBytes: 10, expectedSize: nil)
        }
        await #expect(throws: FolioError.tooLarge(limit: 10)) {
            _ = try await blobs.write(Chunks([1]), maxBytes: 10, expectedSize: 11)
        }
        #expect(files(under: root).isEmpty)
    }

    @Test func cutOffUploadLeavesNothingBehind() async throws {
        let (blobs, root) = try store()
        // The connection drops after three chunks.
        await #expect(throws: Chunks.Disconnected.self) {
            _ = try await blobs.write(
                Chunks(Array(repeating: 7, count: 100), failAfter: 3), maxBytes: 1000, expectedSize: 100)
        }
        // The body ends early: fewer bytes than Content-Length announced.
        await #expect(throws: FolioError.truncated(expected: 100, received: 50)) {
            _ = try await blobs.write(Chunks(Array(repeating: 7, count: 50)), maxBytes: 1000, expectedSize: 100)
        }
        #expect(files(under: root).isEmpty)
    }

    @Test func blobsAreNeverOverwritten() async throws {
        let (blobs, _) = try store()
        let a = try await blobs.write(Chunks("same"), maxBytes: 100, expectedSize: nil)
        let b = try await blobs.write(Chunks("same"), maxBytes: 100, expectedSize: nil)
        #expect(a.key != b.key && a.sha256 == b.sha256)
        try await blobs.remove(a.key)
        var read = ""
        try await blobs.read(b.key, range: nil) { read += String(buffer: $0) }
        #expect(read == "same")
        #expect(try blobs.allKeys() == [b.key])
    }

    /// Whether the folder's fsync is skipped follows the filesystem, as coreutils names it:
    /// ext4, XFS and btrfs make a new name durable with the file; anything else (tmpfs,
    /// procfs) and a folder that cannot be looked at keep the folder's fsync.
    @Test func folderSyncSkippedOnlyWhereTheFileSyncCoversTheName() throws {
        #if os(Linux)
            let folder = try temporaryFolder()
            let stat = Process()
            stat.executableURL = URL(fileURLWithPath: "/usr/bin/stat")
            stat.arguments = ["-f", "-c", "%T", folder]
            let output = Pipe()
            stat.standardOutput = output
            try stat.run()
            stat.waitUntilExit()
            let type = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(
                DurableFileWrites.fsyncCoversNewNames(folder) == ["ext2/ext3", "xfs", "btrfs"].contains(type),
                "\(folder) is on \(type)")
            #expect(!DurableFileWrites.fsyncCoversNewNames("/proc"))
            #expect(!DurableFileWrites.fsyncCoversNewNames(folder + "/missing"))
            if FileManager.default.fileExists(atPath: "/dev/shm") {
                #expect(!DurableFileWrites.fsyncCoversNewNames("/dev/shm"))
            }
        #endif
    }
}
