import FolioCore
import Mustache

/// A file's versions (`versions.mustache`).
struct VersionsView: MustacheParent {
    struct Row: MustacheParent {
        let number: Int64
        let current: Bool
        let time: WebTime
        let author: String
        let size: String
        let source: String
        let canRestore: Bool
        /// False where the space keeps only the current version's content.
        let hasContent: Bool
        /// Whether the version's thumbnail shows beside its number.
        var thumbnail = false
        func child(named key: String) -> Any? {
            switch key {
            case "hasContent": hasContent
            case "thumbnail": thumbnail
            case "number": number
            case "current": current
            case "time": time
            case "author": author
            case "size": size
            case "source": source
            case "canRestore": canRestore
            default: nil
            }
        }
    }

    /// A version as listed, with the earlier saves of its editing session folded under it.
    struct Entry: MustacheParent {
        let row: Row
        let earlier: [Row]
        func child(named key: String) -> Any? {
            switch key {
            case "row": row
            case "earlier": earlier
            case "hasEarlier": !earlier.isEmpty
            case "earlierCount": earlier.count
            default: nil
            }
        }
    }

    /// The lock an editor holds on the file.
    struct Lock: MustacheParent {
        let holder: String?
        let editor: String?
        let since: WebTime?
        let until: WebTime
        let canBreak: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "holder": holder
            case "editor": editor
            case "since": since
            case "until": until
            case "canBreak": canBreak
            default: nil
            }
        }
    }

    /// The folder the file is listed in: Folio's, or its space's.
    let folderHref: String
    let fileID: String
    let fileName: String
    let csrf: String
    let entries: [Entry]
    let lock: Lock?

    func child(named key: String) -> Any? {
        switch key {
        case "folderHref": folderHref
        case "fileID": fileID
        case "fileName": fileName
        case "csrf": csrf
        case "entries": entries
        case "lock": lock
        default: nil
        }
    }

    /// Newest first; a run of saves of one editing session shows its newest, the others
    /// folded under it (autosaves every few minutes would otherwise fill the page).
    static func entries(_ versions: [Version], row: (Version) -> Row) -> [Entry] {
        var entries: [Entry] = []
        var run: [Version] = []
        func flush() {
            guard let newest = run.first else { return }
            entries.append(Entry(row: row(newest), earlier: run.dropFirst().map(row)))
            run = []
        }
        for version in versions.sorted(by: { $0.number > $1.number }) {
            if let session = version.session, run.first?.session == session {
                run.append(version)
            } else {
                flush()
                run = [version]
            }
        }
        flush()
        return entries
    }
}

/// An option of a role menu (`role-option.mustache`).
struct RoleOption: MustacheParent {
    let value: String
    let label: String
    let selected: Bool

    func child(named key: String) -> Any? {
        switch key {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

/// Sharing one item (`share.mustache`): people and public links.
struct ShareView: MustacheParent {
    struct Grant: MustacheParent {
        let login: String
        let displayName: String
        let roles: [RoleOption]
        func child(named key: String) -> Any? {
            switch key {
            case "login": login
            case "displayName": displayName
            case "roles": roles
            default: nil
            }
        }
    }

    struct Link: MustacheParent {
        let linkID: String
        let url: String
        let roleLabel: String
        let expires: WebTime?
        let hasPassword: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "linkID": linkID
            case "url": url
            case "roleLabel": roleLabel
            case "expires": expires
            case "hasPassword": hasPassword
            default: nil
            }
        }
    }

    let itemName: String
    let kind: String
    let id: String
    let csrf: String
    let grants: [Grant]
    let links: [Link]
    let grantRoles: [RoleOption]
    let linkRoles: [RoleOption]

    func child(named key: String) -> Any? {
        switch key {
        case "itemName": itemName
        case "kind": kind
        case "id": id
        case "csrf": csrf
        case "grants": grants
        case "links": links
        case "grantRoles": grantRoles
        case "linkRoles": linkRoles
        default: nil
        }
    }
}
