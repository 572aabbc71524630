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
    var back: String? {
        guard let back = fields["back"], back.hasPrefix("/"), !back.hasPrefix("//") else { return nil }
        return back
    }
}
