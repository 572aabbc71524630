import FolioCore

extension SpaceKind {
    /// Not built yet: the s3 connector joins the suite once it exists.
    package static var s3: SpaceKind? { nil }
}
