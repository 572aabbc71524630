import Foundation

/// The value of each setting and where it came from, in this order: the command-line option,
/// the environment (`FOLIO_…`), the configuration file, the default (left to the caller).
struct Settings: Sendable {
    enum Source: Sendable, Equatable, CustomStringConvertible {
        case option(String)
        case environment(String)
        case file(String)

        var description: String {
            switch self {
            case .option(let name): name
            case .environment(let name): name
            case .file(let path): path
            }
        }
    }

    let file: ConfigFile?
    let environment: [String: String]

    init(file: ConfigFile?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.file = file
        self.environment = environment
    }

    /// The values of `setting` and their source; nil when none is given (the default applies).
    func lookup(_ setting: Setting, option: [String] = []) -> (values: [String], source: Source)? {
        if !option.isEmpty { return (option, .option(setting.option)) }
        if let raw = environment[setting.environmentVariable], !raw.isEmpty {
            return (setting.isList ? ConfigFile.split(raw) : [raw], .environment(setting.environmentVariable))
        }
        if let file, let values = file.values[setting] { return (values, .file(file.path)) }
        return nil
    }

    func string(_ setting: Setting, option: String? = nil) -> String? {
        lookup(setting, option: option.map { [$0] } ?? [])?.values.first
    }

    func list(_ setting: Setting, option: [String] = []) -> [String] {
        lookup(setting, option: option)?.values ?? []
    }
}
