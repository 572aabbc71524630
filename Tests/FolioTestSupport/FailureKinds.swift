import FolioCore

/// What a call failed with, for `expectFailure(_:)`: the kinds the space and store tests ask
/// about, each written once.
package enum Failed {
    /// `SpaceError.changed`: the document was not what the write's condition said.
    package static func changed(_ error: any Error) -> Bool {
        if case SpaceError.changed = error { return true }
        return false
    }

    /// `SpaceError.exists`: a create or move target is taken.
    package static func exists(_ error: any Error) -> Bool {
        if case SpaceError.exists = error { return true }
        return false
    }

    /// `SpaceError.notFound`: nothing at a space's path.
    package static func missing(_ error: any Error) -> Bool {
        if case SpaceError.notFound = error { return true }
        return false
    }

    package static func unavailable(_ error: any Error) -> Bool {
        if case FolioError.unavailable = error { return true }
        return false
    }

    package static func notFound(_ error: any Error) -> Bool {
        if case FolioError.notFound = error { return true }
        return false
    }

    package static func forbidden(_ error: any Error) -> Bool {
        if case FolioError.forbidden = error { return true }
        return false
    }

    package static func conflict(_ error: any Error) -> Bool {
        if case FolioError.conflict = error { return true }
        return false
    }
}
