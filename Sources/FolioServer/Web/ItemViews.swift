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
        func child(named key: String) -> Any? {
            switch key {
            case "hasContent": hasContent
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

    /// The folder the file is listed in: Folio's, or its space's.
    let folderHref: String
    let fileID: String
    let fileName: String
    let csrf: String
    let rows: [Row]

    func child(named key: String) -> Any? {
        switch key {
        case "folderHref": folderHref
        case "fileID": fileID
        case "fileName": fileName
        case "csrf": csrf
        case "rows": rows
        default: nil
        }
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
