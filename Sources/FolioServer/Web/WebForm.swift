import FolioCore
import Hummingbird

/// An `application/x-www-form-urlencoded` body, read whole (forms are small).
struct WebForm: Sendable {
    let fields: [String: String]

    static func read(_ request: Request) async throws -> WebForm {
        let buffer = try await request.body.collect(upTo: 256 * 1024)
        let text = String(buffer: buffer)
        guard !text.isEmpty else { return WebForm(fields: [:]) }
        do {
            return WebForm(fields: try URLEncodedFormDecoder().decode([String: String].self, from: text))
        } catch {
            throw FolioError.badRequest("the form could not be read")
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// A required, non-empty field (trimmed).
    func require(_ name: String) throws -> String {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw FolioError.badRequest("\(name) is missing")
        }
        return value
    }

    /// A local path to go back to after the form: only paths on this site.
    var back: String? { Self.localPath(fields["back"]) }

    /// `path` if it can only mean a page of this site: it starts with one "/", and holds no
    /// backslash (browsers read "/\\host" as "//host") and no control character.
    static func localPath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"),
            !path.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        return path
    }
}
