import FolioCore

extension SpaceKind {
    /// Not built yet: the webdav connector joins the suite once it exists.
    package static var webdav: SpaceKind? { nil }
}
