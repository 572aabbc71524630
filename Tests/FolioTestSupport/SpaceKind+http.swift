import FolioCore

extension SpaceKind {
    /// Not built yet: the http connector joins the suite once it exists.
    package static var http: SpaceKind? { nil }
}
