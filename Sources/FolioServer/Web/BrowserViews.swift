import FolioCore
import Mustache

/// What `browse.mustache` shows of a folder. Rows carry only what differs per item; what is
/// the same for every row (CSRF token, the page's address, the visitor's rights) is looked up
/// once on the page.
struct FolderView: MustacheParent {
    struct Crumb: MustacheParent {
        let id: String
        let name: String
        let current: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "id": id
            case "name": name
            case "current": current
            default: nil
            }
        }
    }

    /// A column head that sorts by it; `aria` is its `aria-sort`.
    struct SortLink: MustacheParent {
        let aria: String
        let href: String
        let mark: String
        func child(named key: String) -> Any? {
            switch key {
            case "aria": aria
            case "href": href
            case "mark": mark
            default: nil
            }
        }
    }

    struct Pager: MustacheParent {
        let previous: String?
        let following: String?
        let number: Int
        let pages: Int
        let total: Int
        func child(named key: String) -> Any? {
            switch key {
            case "previous": previous
            case "following": following
            case "number": number
            case "pages": pages
            case "total": total
            default: nil
            }
        }
    }

    /// A class: the engine casts each object it looks in, and a struct would be copied, every
    /// field retained, at each of a row's many lookups.
    final class Row: MustacheParent {
        let id: String
        let name: String
        let isFolder: Bool
        /// The name's link: edit, view or download.
        let open: String
        let lockedBy: String?
        let downloadOnly: Bool
        let editable: Bool
        let viewable: Bool
        /// Whether the previews engine can draw it (a thumbnail shows beside the name).
        let previewable: Bool
        let size: String
        let modified: WebTime

        init(
            id: String, name: String, isFolder: Bool, open: String, lockedBy: String?, downloadOnly: Bool,
            editable: Bool, viewable: Bool, previewable: Bool = false, size: String, modified: WebTime
        ) {
            self.id = id
            self.name = name
            self.isFolder = isFolder
            self.open = open
            self.lockedBy = lockedBy
            self.downloadOnly = downloadOnly
            self.editable = editable
            self.viewable = viewable
            self.previewable = previewable
            self.size = size
            self.modified = modified
        }

        func child(named key: String) -> Any? {
            switch key {
            case "id": id
            case "name": name
            case "isFolder": isFolder
            case "open": open
            case "lockedBy": lockedBy
            case "downloadOnly": downloadOnly
            case "editable": editable
            case "viewable": viewable
            case "previewable": previewable
            case "size": size
            case "iso": modified.iso
            case "when": modified.text
            default: nil
            }
        }
    }

    /// What changes from row to row of `browse-row.mustache`, and the sections that give a row
    /// its shape (`RowStencil`).
    static let rowValues = ["id", "name", "open", "lockedBy", "size", "iso", "when", "csrf", "here"]
    static let rowSections = [
        "isFolder", "lockedBy", "downloadOnly", "editable", "viewable", "previewable", "canShare", "canEdit",
    ]

    let language: Language
    let crumbs: [Crumb]
    let folderID: String
    let sort: String
    let descending: Bool
    let search: String
    let canEdit: Bool
    let canShare: Bool
    let csrf: String
    let here: String
    let rows: [Row]
    let sortLinks: [SortLink]
    let pager: Pager?

    func child(named key: String) -> Any? {
        switch key {
        case "crumbs": crumbs
        case "folderID": folderID
        case "sort": sort
        case "descending": descending
        case "search": search
        case "searching": !search.isEmpty
        case "canEdit": canEdit
        case "canShare": canShare
        case "csrf": csrf
        case "here": here
        case "rows": rows
        case "renderedRows": PageTemplates.folderRows[language]?.render(rows, page: self)
        case "hasRows": !rows.isEmpty
        case "sortName": sortLinks[0]
        case "sortSize": sortLinks[1]
        case "sortModified": sortLinks[2]
        case "pager": pager
        default: nil
        }
    }
}

/// One row of the trash or of what others shared: `href` only for shared items.
struct ItemRow: MustacheParent {
    let kind: String
    let id: String
    let name: String
    let href: String
    let size: String
    let time: WebTime
    /// The file's thumbnail URL, where previews draw it.
    var thumbnail: String? = nil

    func child(named key: String) -> Any? {
        switch key {
        case "thumbnail": thumbnail
        case "kind": kind
        case "id": id
        case "name": name
        case "href": href
        case "size": size
        case "time": time
        default: nil
        }
    }
}

/// The trash (`trash.mustache`) and what others shared (`shared.mustache`).
struct ItemsView: MustacheParent {
    let csrf: String
    let rows: [ItemRow]

    func child(named key: String) -> Any? {
        switch key {
        case "csrf": csrf
        case "rows": rows
        case "hasRows": !rows.isEmpty
        default: nil
        }
    }
}
