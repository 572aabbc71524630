/// The office suites Folio works with. A token issued for an editor session carries its kind,
/// so Folio knows whose proof keys to demand and which CheckFileInfo flavour to answer.
public enum EditorKind: String, Sendable, CaseIterable, Codable {
    case collabora
    case microsoft
    case onlyoffice

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
