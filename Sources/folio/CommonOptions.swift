import ArgumentParser
import FolioCore
import Foundation
import Logging

/// `--data`, shared by every command that opens an installation.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data folder (env FOLIO_DATA; default ./folio-data).")
    var data: String?

    var folder: DataFolder {
        DataFolder(path: data ?? Environment.value("FOLIO_DATA") ?? "./folio-data")
    }

    func open(settings: FolioSettings = .init()) throws -> Folio {
        var logger = Logger(label: "folio")
        logger.logLevel = .warning
        return try folder.open(settings: settings, logger: logger)
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// Runs a command body, turning domain errors into one line on standard error and exit status 1.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as FolioError {
        FileHandle.standardError.write(Data("folio: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes JSON to standard output, keys sorted so scripts and diffs see a stable shape.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// An editor kind from the command line, with the error every command gives for a wrong one.
func editorKind(_ name: String) throws -> EditorKind {
    guard let kind = EditorKind(rawValue: name.lowercased()) else {
        throw FolioError.badRequest("the editor must be collabora, microsoft or onlyoffice, not \"\(name)\"")
    }
    return kind
}
