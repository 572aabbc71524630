import ArgumentParser
import FolioCore
import FolioServer
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Folio server.")

    @OptionGroup var data: DataOptions
    @OptionGroup var server: ServerOptions
    @Option(help: "Largest upload in bytes (env FOLIO_MAX_UPLOAD_BYTES; default 4 GiB).")
    var maxUploadBytes: Int64?

    func run() async throws {
        try await reportingErrors {
            let configuration = try server.configuration()
            var settings = FolioSettings()
            if let limit = try maxUploadBytes ?? Environment.value("FOLIO_MAX_UPLOAD_BYTES").map(parseLimit) {
                settings.maxUploadBytes = limit
            }
            var logger = Logger(label: "folio")
            logger.logLevel = Environment.value("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
            let folio = try data.folder.open(settings: settings, logger: logger)
            try data.folder.recordPublicURL(configuration.publicURL)
            let app = FolioApplication.make(folio: folio, configuration: configuration, logger: logger)
            try await app.runService()
        }
    }

    func parseLimit(_ text: String) throws -> Int64 {
        guard let value = Int64(text), value > 0 else {
            throw FolioError.badRequest("FOLIO_MAX_UPLOAD_BYTES must be a positive number of bytes")
        }
        return value
    }
}

/// Where Folio listens, how editors reach it, and which editors it uses: shared by `serve`
/// and `doctor`, each option also read from its environment variable.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (env FOLIO_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env FOLIO_PORT; default 8080).") var port: Int?
    @Option(help: "Base URL editors use to reach Folio (env FOLIO_PUBLIC_URL; default http://HOST:PORT).")
    var publicURL: String?
    @Option(
        name: .customLong("editor"),
        help:
            "An office suite as KIND=DISCOVERY_URL, KIND collabora, microsoft or onlyoffice; repeatable (env FOLIO_EDITORS, comma-separated)."
    )
    var editors: [String] = []
    @Option(help: "Roles whose editors hide printing, e.g. view,comment (env FOLIO_HIDE_PRINT_FOR).")
    var hidePrintFor: String?
    @Option(help: "Roles whose editors hide exporting and downloading (env FOLIO_HIDE_EXPORT_FOR).")
    var hideExportFor: String?
    @Option(help: "Roles that may not copy out of the editor (env FOLIO_DISABLE_COPY_FOR).")
    var disableCopyFor: String?
    @Option(help: "Watermark text over documents; {user} and {login} are filled in (env FOLIO_WATERMARK).")
    var watermark: String?

    func policy() throws -> EditorPolicy {
        func roles(_ option: String?, _ variable: String) throws -> Set<Role> {
            guard let list = option ?? Environment.value(variable) else { return [] }
            return try Set(
                list.split(separator: ",").map { name in
                    guard let role = Role(name: name.trimmingCharacters(in: .whitespaces)) else {
                        throw FolioError.badRequest("\(variable): roles are view, comment or edit, not \"\(name)\"")
                    }
                    return role
                })
        }
        return EditorPolicy(
            hidePrint: try roles(hidePrintFor, "FOLIO_HIDE_PRINT_FOR"),
            hideExport: try roles(hideExportFor, "FOLIO_HIDE_EXPORT_FOR"),
            disableCopy: try roles(disableCopyFor, "FOLIO_DISABLE_COPY_FOR"),
            watermark: watermark ?? Environment.value("FOLIO_WATERMARK"))
    }

    func configuration() throws -> ServerConfiguration {
        let host = host ?? Environment.value("FOLIO_HOST") ?? "127.0.0.1"
        let port = try port ?? Environment.value("FOLIO_PORT").map(parsePort) ?? 8080
        guard (0...65535).contains(port) else { throw FolioError.badRequest("the port must be 0 to 65535") }
        let specs =
            editors.isEmpty
            ? (Environment.value("FOLIO_EDITORS")?.split(separator: ",").map(String.init) ?? []) : editors
        return ServerConfiguration(
            host: host, port: port, publicURL: publicURL ?? Environment.value("FOLIO_PUBLIC_URL"),
            editors: try parseEditors(specs), policy: try policy())
    }

    /// `collabora=https://cool.example/hosting/discovery` and the like, one per kind.
    func parseEditors(_ specs: [String]) throws -> [EditorKind: String] {
        var editors: [EditorKind: String] = [:]
        for spec in specs {
            let parts = spec.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw FolioError.badRequest("--editor takes KIND=DISCOVERY_URL, not \"\(spec)\"")
            }
            let kind = try editorKind(parts[0])
            guard parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://") else {
                throw FolioError.badRequest("the discovery URL of \(kind.rawValue) must start with http:// or https://")
            }
            guard editors[kind] == nil else { throw FolioError.badRequest("\(kind.rawValue) is configured twice") }
            editors[kind] = parts[1]
        }
        return editors
    }

    func parsePort(_ text: String) throws -> Int {
        guard let value = Int(text) else { throw FolioError.badRequest("FOLIO_PORT must be a port number") }
        return value
    }
}
