/// The office suites Folio works with. A token issued for an editor session carries its kind,
/// so Folio knows whose proof keys to demand and which CheckFileInfo flavour to answer.
public enum EditorKind: String, Sendable, CaseIterable, Codable {
    case collabora
    case microsoft
    case onlyoffice

    /// The kind named `name`, or the error every surface gives for a wrong name.
    public static func named(_ name: String) throws -> EditorKind {
        guard let kind = EditorKind(rawValue: name) else {
            throw FolioError.badRequest("the editor must be collabora, microsoft or onlyoffice, not \"\(name)\"")
        }
        return kind
    }

    /// The number stored in tokens (0 means "no editor").
    var tokenCode: UInt8 {
        switch self {
        case .collabora: 1
        case .microsoft: 2
        case .onlyoffice: 3
        }
    }

    init?(tokenCode: UInt8) {
        guard let kind = Self.allCases.first(where: { $0.tokenCode == tokenCode }) else { return nil }
        self = kind
    }
}
