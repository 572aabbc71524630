import FolioCore
import Foundation
import Yams

/// A YAML configuration file: a mapping from setting keys (`Setting`) to a value or a list of
/// values. Unknown keys are errors, so a misspelt setting is reported instead of ignored.
struct ConfigFile: Sendable {
    let path: String
    let values: [Setting: [String]]

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FolioError.badRequest("cannot read the configuration file \(path)")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self), path: path)
    }

    init(yaml: String, path: String) throws {
        self.path = path
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            // Yams describes the spot over several lines; the first says what and where.
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            throw FolioError.badRequest("\(path) is not valid YAML: \(first)")
        }
        guard let root else {
            values = [:]
            return
        }
        guard let mapping = root.mapping else {
            throw FolioError.badRequest("\(path) must be a mapping of settings (key: value)")
        }
        var values: [Setting: [String]] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? "?"
            guard let setting = Setting(rawValue: key) else {
                let known = Setting.allCases.map(\.key).joined(separator: ", ")
                throw FolioError.badRequest("\(path): unknown setting \"\(key)\" (known: \(known))")
            }
            switch valueNode {
            case .scalar(let scalar):
                // `key:` and `key: ~` leave the setting unset.
                if scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" { continue }
                values[setting] = setting.isList ? Self.split(scalar.string) : [scalar.string]
            case .sequence(let items) where setting.isList:
                values[setting] = try items.map { item in
                    guard let text = item.scalar?.string else {
                        throw FolioError.badRequest("\(path): every item of \(key) must be a plain value")
                    }
                    return text
                }
            default:
                throw FolioError.badRequest(
                    "\(path): \(key) must be \(setting.isList ? "a value or a list of values" : "a single value")")
            }
        }
        self.values = values
    }

    /// A comma-separated list, items trimmed, empty items dropped.
    static func split(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
