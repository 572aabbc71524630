import FolioCore

/// What editors let each role do beyond reading and writing: print, export, copy out, and a
/// watermark. Applied through CheckFileInfo, so it holds for every editor session.
public struct EditorPolicy: Sendable, Equatable {
    public var hidePrint: Set<Role>
    public var hideExport: Set<Role>
    public var disableCopy: Set<Role>
    /// Shown over the document; `{user}` becomes the user's display name, `{login}` the login.
    public var watermark: String?

    public init(
        hidePrint: Set<Role> = [], hideExport: Set<Role> = [], disableCopy: Set<Role> = [], watermark: String? = nil
    ) {
        self.hidePrint = hidePrint
        self.hideExport = hideExport
        self.disableCopy = disableCopy
        self.watermark = watermark
    }

    func watermark(for user: User) -> String? {
        watermark?.replacingOccurrences(of: "{user}", with: user.displayName)
            .replacingOccurrences(of: "{login}", with: user.login)
    }
}
