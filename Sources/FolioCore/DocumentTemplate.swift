import Foundation
import NIOCore

/// The blank documents Folio ships (`Resources/Templates`, made by scripts/make-templates.py
/// and checked by tests/templates): what "New document" starts from.
public enum DocumentTemplate: String, CaseIterable, Sendable {
    case docx, xlsx, pptx, odt, ods, odp

    /// The template's bytes; nil only if the package was installed without its resources.
    public var content: Data? {
        Bundle.module.url(forResource: "blank", withExtension: rawValue, subdirectory: "Templates")
            .flatMap { try? Data(contentsOf: $0) }
    }

    public init?(fileName: String) {
        self.init(rawValue: String(fileName.split(separator: ".").last ?? "").lowercased())
    }
}

extension Folio {
    /// A new document in a folder, named `name` plus the template's extension (a free name).
    /// `empty` makes a 0-byte file for editors that fill it themselves (Office's editnew,
    /// Collabora's TemplateSource, ONLYOFFICE's first unlocked PutFile); otherwise it holds the template.
    public func newDocument(
        _ template: DocumentTemplate, name raw: String, in folderID: String, user: User, empty: Bool
    ) async throws -> StoredFile {
        try await requireEdit(folderID, user: user)
        let (name, body, size) = try template.newDocument(named: raw, empty: empty)
        return try await createFile(
            body, expectedSize: size, name: name, folderID: folderID, owner: user, source: .upload, uniqueName: true)
    }
}

extension DocumentTemplate {
    /// A new document's file name (`raw` or "Untitled", plus the extension) and content: the
    /// template's bytes, or none when `empty`. Shared by Folio's folders and spaces.
    func newDocument(named raw: String, empty: Bool) throws -> (name: String, body: BufferSequence, size: Int64) {
        let base = raw.trimmingCharacters(in: .whitespaces)
        let name = (base.isEmpty ? "Untitled" : base) + "." + rawValue
        guard !empty else { return (name, BufferSequence([]), 0) }
        guard let content else {
            throw FolioError.storage("the \(rawValue) template is missing from this installation")
        }
        return (name, BufferSequence([ByteBuffer(bytes: content)]), Int64(content.count))
    }
}
