import ArgumentParser
import FolioCore
import Foundation
import NIOCore
import _NIOFileSystem

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import local files into a user's folder.")

    @OptionGroup var data: DataOptions
    @Argument(help: "Files to import.") var paths: [String]
    @Option(help: "The login of the owner.") var owner: String
    @Option(help: "A folder below the owner's root (\"Reports/2026\"), created if needed.") var folder: String?
    @Flag(help: "Print a JSON array of {id, name, size, version}.") var json = false

    struct Imported: Encodable {
        var id: String
        var name: String
        var size: Int64
        var version: Int64
    }

    func run() async throws {
        try await reportingErrors {
            let folio = try await data.open()
            let user = try await folio.requireUser(login: owner)
            // Check every path first, so a typo imports nothing rather than half the list.
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
                else { throw FolioError.notFound("\(path) is not a file") }
            }
            var folderID = user.rootFolderID
            if let folder { folderID = try await folio.ensureFolder(path: folder, owner: user).id }
            var imported: [Imported] = []
            for path in paths {
                let name = (path as NSString).lastPathComponent
                let file = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                    let size = try await handle.info().size
                    return try await folio.createFile(
                        handle.readChunks(chunkLength: .mebibytes(1)), expectedSize: size, name: name,
                        folderID: folderID, owner: user, source: .upload, uniqueName: true)
                }
                imported.append(Imported(id: file.id, name: file.name, size: file.size, version: file.version))
                if !json { print("\(file.id)  \(file.name)  \(file.size) bytes") }
            }
            if json { try printJSON(imported) }
        }
    }
}
