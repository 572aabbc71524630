import ArgumentParser
import FolioCore
import FolioServer
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Folio server.")

    @OptionGroup var data: DataOptions
    @Option(help: "Address to listen on (env FOLIO_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env FOLIO_PORT; default 8080).") var port: Int?
    @Option(help: "Base URL editors use to reach Folio (env FOLIO_PUBLIC_URL; default http://HOST:PORT).")
    var publicURL: String?
    @Option(help: "Largest upload in bytes (env FOLIO_MAX_UPLOAD_BYTES; default 4 GiB).")
    var maxUploadBytes: Int64?

    func run() async throws {
        try await reportingErrors {
            let host = host ?? Environment.value("FOLIO_HOST") ?? "127.0.0.1"
            let port = try port ?? Environment.value("FOLIO_PORT").map(parsePort) ?? 8080
            guard (0...65535).contains(port) else { throw FolioError.badRequest("the port must be 0 to 65535") }
            let configuration = ServerConfiguration(
                host: host, port: port, publicURL: publicURL ?? Environment.value("FOLIO_PUBLIC_URL"))
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

    func parsePort(_ text: String) throws -> Int {
        guard let value = Int(text) else { throw FolioError.badRequest("FOLIO_PORT must be a port number") }
        return value
    }

    func parseLimit(_ text: String) throws -> Int64 {
        guard let value = Int64(text), value > 0 else {
            throw FolioError.badRequest("FOLIO_MAX_UPLOAD_BYTES must be a positive number of bytes")
        }
        return value
    }
}
