import Logging

/// Log lines as text on standard error (through `LogOutput`): time, level, label, the
/// metadata as key=value in key order, the message. The default `log_format`.
struct TextLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { merged.merge(provided) { _, new in new } }
        if let own = event.metadata, !own.isEmpty { merged.merge(own) { _, new in new } }
        var line = LogOutput.shared.timestamp()
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ":"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " "
        line += event.message.description
        line += "\n"
        LogOutput.shared.write(line, urgent: event.level >= .notice)
    }
}
