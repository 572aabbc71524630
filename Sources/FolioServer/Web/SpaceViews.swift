import Mustache

/// The spaces a person may open (`spaces.mustache`).
struct SpacesView: MustacheParent {
    struct Row: MustacheParent {
        let name: String
        let href: String
        let role: String
        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "href": href
            case "role": role
            default: nil
            }
        }
    }

    let rows: [Row]

    func child(named key: String) -> Any? {
        switch key {
        case "rows": rows
        case "hasRows": !rows.isEmpty
        default: nil
        }
    }
}

/// A folder of a space as its storage lists it (`space.mustache`). Every link carries the
/// path of what it acts on; the rows are few enough (one folder of outside storage) to go
/// through the engine.
struct SpaceFolderView: MustacheParent {
    struct Crumb: MustacheParent {
        let href: String
        let name: String
        let current: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "href": href
            case "name": name
            case "current": current
            default: nil
            }
        }
    }

    struct Row: MustacheParent {
        let name: String
        let isFolder: Bool
        /// The name's link: the folder, or the document opened to edit or view, or downloaded.
        let href: String
        let downloadOnly: Bool
        let editURL: String?
        let viewURL: String?
        let downloadURL: String
        let versionsURL: String
        let renameURL: String
        let deleteURL: String
        let size: String
        let modified: WebTime
        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "isFolder": isFolder
            case "href": href
            case "downloadOnly": downloadOnly
            case "editURL": editURL
            case "viewURL": viewURL
            case "downloadURL": downloadURL
            case "versionsURL": versionsURL
            case "renameURL": renameURL
            case "deleteURL": deleteURL
            case "size": size
            case "modified": modified
            default: nil
            }
        }
    }

    let space: String
    let crumbs: [Crumb]
    let pathText: String
    let canEdit: Bool
    let csrf: String
    let here: String
    let uploadURL: String
    let folderURL: String
    let newURL: String
    let rows: [Row]
    let sortLinks: [FolderView.SortLink]

    func child(named key: String) -> Any? {
        switch key {
        case "space": space
        case "crumbs": crumbs
        case "path": pathText
        case "canEdit": canEdit
        case "csrf": csrf
        case "here": here
        case "uploadURL": uploadURL
        case "folderURL": folderURL
        case "newURL": newURL
        case "rows": rows
        case "hasRows": !rows.isEmpty
        case "sortName": sortLinks[0]
        case "sortSize": sortLinks[1]
        case "sortModified": sortLinks[2]
        default: nil
        }
    }
}

/// The spaces page for administrators (`admin-spaces.mustache`): each space's storage,
/// everyone's role and the grants to single users.
struct AdminSpacesView: MustacheParent {
    struct Grant: MustacheParent {
        let userID: String
        let login: String
        let displayName: String
        let role: String
        func child(named key: String) -> Any? {
            switch key {
            case "userID": userID
            case "login": login
            case "displayName": displayName
            case "role": role
            default: nil
            }
        }
    }

    struct Entry: MustacheParent {
        let name: String
        let storage: String
        let everyone: [RoleOption]
        let grants: [Grant]
        let grantRoles: [RoleOption]
        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "storage": storage
            case "everyone": everyone
            case "grants": grants
            case "hasGrants": !grants.isEmpty
            case "grantRoles": grantRoles
            default: nil
            }
        }
    }

    let message: UsersView.Message?
    let csrf: String
    let spaces: [Entry]

    func child(named key: String) -> Any? {
        switch key {
        case "message": message
        case "csrf": csrf
        case "spaces": spaces
        case "hasSpaces": !spaces.isEmpty
        default: nil
        }
    }
}
