import FolioCore
import Hummingbird
import Mustache

/// Administrators see every lock editors hold (who, until when) and break one an editor left
/// behind — it crashed or was redeployed — instead of waiting up to 30 minutes.
struct AdminLockPages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("admin/locks") { request, _ in try await render(request, message: nil) }
        router.post("admin/locks/{file}/break") { request, context in
            let fileID = try context.parameters.require("file")
            return try await auth.administratorAction(request) { admin, _ in
                try await folio.breakLock(fileID: fileID, by: admin.login)
            } render: { message, isError in
                try await render(request, message: message, isError: isError)
            }
        }
    }

    func render(_ request: Request, message: String?, isError: Bool = false) async throws -> Response {
        let (visitor, _, session) = try await auth.administrator(request)
        let rows = try await folio.locksInForce().map { lock in
            LocksView.Row(
                fileID: lock.fileID, fileName: lock.fileName, lockID: lock.lockID, holder: lock.holder,
                since: lock.takenAt.map { WebFormat.time($0, visitor.language) },
                until: WebFormat.time(lock.expiresAt, visitor.language),
                editor: lock.editor.flatMap(EditorKind.init(rawValue:))?.displayName ?? lock.editor)
        }
        let view = LocksView(
            message: message.map { UsersView.Message(style: isError ? "error" : "notice", text: $0) },
            csrf: session.csrfToken, rows: rows)
        return WebPage(title: visitor.language(.locks), visitor: visitor, template: "admin-locks", view: view)
            .response()
    }
}

/// The locks page (`admin-locks.mustache`).
struct LocksView: MustacheParent {
    struct Row: MustacheParent {
        let fileID: String
        let fileName: String
        let lockID: String
        let holder: String?
        let since: WebTime?
        let until: WebTime
        let editor: String?
        func child(named key: String) -> Any? {
            switch key {
            case "since": since
            case "editor": editor
            case "fileID": fileID
            case "fileName": fileName
            case "lockID": lockID
            case "holder": holder
            case "until": until
            default: nil
            }
        }
    }

    let message: UsersView.Message?
    let csrf: String
    let rows: [Row]

    func child(named key: String) -> Any? {
        switch key {
        case "message": message
        case "csrf": csrf
        case "rows": rows
        case "hasRows": !rows.isEmpty
        default: nil
        }
    }
}
