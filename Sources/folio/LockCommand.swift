import ArgumentParser
import FolioCore
import Foundation
import WOPI

/// `folio lock list` and `folio lock break FILE`: the locks editors hold, and a way out when an
/// editor crashed or was redeployed and left one behind (it would stop everyone until it
/// expires, up to 30 minutes).
struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "List the locks editors hold, or break one left behind.",
        subcommands: [List.self, Break.self])

    struct Listed: Encodable {
        var fileId: String
        var name: String
        var lockId: String
        var expiresAt: String
        var holder: String?
        var takenAt: String?
        var editor: String?
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every lock in force, by file name.")
        @OptionGroup var data: DataOptions
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            try await reportingErrors {
                let folio = try await data.open()
                let listed = try await folio.locksInForce().map {
                    Listed(
                        fileId: $0.fileID, name: $0.fileName, lockId: $0.lockID,
                        expiresAt: WOPITime.format(microseconds: $0.expiresAt), holder: $0.holder,
                        takenAt: $0.takenAt.map { WOPITime.format(microseconds: $0) }, editor: $0.editor)
                }
                if json {
                    try printJSON(listed)
                } else if listed.isEmpty {
                    print("no file is locked")
                } else {
                    for l in listed {
                        let since = l.takenAt.map { " since \($0)" } ?? ""
                        let editor = l.editor.map { " through \($0)" } ?? ""
                        print(
                            "\(l.fileId)  \(l.name)  held by \(l.holder ?? "an unknown user")\(editor)\(since) until \(l.expiresAt)"
                        )
                    }
                }
            }
        }
    }

    struct Break: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "break",
            abstract: "Release the lock on a file as if its editor had unlocked it (webhooks hear lock.changed).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The file id.") var fileID: String

        func run() async throws {
            try await reportingErrors {
                let folio = try await data.open()
                let broken = try await folio.breakLock(fileID: fileID, by: "command line")
                print("broke lock \(broken.id) on \(fileID)")
            }
        }
    }
}
