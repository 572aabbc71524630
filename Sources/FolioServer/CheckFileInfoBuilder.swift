import FolioCore
import Foundation
import WOPI

/// Builds CheckFileInfo from a verified session. It advertises exactly what Folio implements;
/// permission flags follow the session's effective role.
struct CheckFileInfoBuilder: Sendable {
    let maxNameLength: Int
    let urls: WOPIURLs
    /// What editors fetch from (the template source).
    let wopiURLs: WOPIURLs
    let pages: HostPageLinks
    let policy: EditorPolicy
    /// Whether a file is a space's document: its folder in Folio is not the storage's, so no
    /// containers are offered on it.
    let isSpaceFile: @Sendable (StoredFile) -> Bool

    func build(_ session: FileSession) -> CheckFileInfo {
        let file = session.file
        let canWrite = session.canWrite
        var info = CheckFileInfo(
            baseFileName: file.name, ownerId: file.ownerID, size: file.size, userId: session.user.id,
            version: String(file.version))
        info.supportsLocks = true
        info.supportsGetLock = true
        info.supportsExtendedLockLength = true
        info.supportsUpdate = true
        info.supportsRename = true
        info.supportsDeleteFile = true
        info.supportsUserInfo = true
        let inSpace = isSpaceFile(file)
        info.supportsContainers = !inSpace
        info.supportsEcosystem = true
        info.userCanWrite = canWrite
        info.userCanRename = canWrite
        info.userCanNotWriteRelative = !canWrite
        info.readOnly = !canWrite
        info.userFriendlyName = session.user.displayName
        // Guests came through a share link, without an account.
        info.isAnonymousUser = session.user.isGuest
        // People who may share get share links (GetShareUrl) and the sharing page.
        if session.role == .edit, !session.user.isGuest {
            info.supportedShareUrlTypes = ShareURLAnswer.types
            info.fileSharingUrl = urls.base + "/share/file/" + file.id
            info.fileSharingPostMessage = true
        }
        info.userInfo = session.user.userInfo
        // Folio has no Microsoft 365 business-licence or education flow; say so explicitly, the
        // same on files and containers.
        info.licenseCheckForEditIsEnabled = false
        info.isEduUser = false
        info.lastModifiedTime = WOPITime.format(microseconds: file.modifiedAt)
        info.fileExtension = FileName.splitExtension(file.name).ext
        info.fileNameMaxLength = maxNameLength
        info.sha256 = Data(file.sha256).base64EncodedString()
        let role = session.role
        if session.grant.editor != nil {
            if policy.hidePrint.contains(role) { info.disablePrint = true }
            if policy.disableCopy.contains(role) { info.copyPasteRestrictions = "BlockAll" }
        }
        switch session.grant.editor {
        case .collabora?, .onlyoffice?:
            if policy.hidePrint.contains(role) { info.hidePrintOption = true }
            if policy.hideExport.contains(role) {
                info.hideExportOption = true
                info.disableExport = true
            }
            if policy.disableCopy.contains(role) { info.disableCopy = true }
            info.watermarkText = policy.watermark(for: session.user)
            // The host page speaks postMessage from Folio's own origin.
            info.postMessageOrigin = urls.base.prefixOrigin
            info.userExtraInfo = ["login": session.user.login]
            info.enableOwnerTermination = session.user.id == file.ownerID
            if session.role == .comment { info.userCanOnlyComment = true }
            // An empty new document: Collabora fills it from the blank template and saves it.
            if file.size == 0, session.grant.editor == .collabora, canWrite,
                let template = DocumentTemplate(fileName: file.name)
            {
                info.templateSource = wopiURLs.base + "/templates/blank." + template.rawValue
            }
        case .microsoft?:
            // Office switches between view and edit through these host pages, shows Close and
            // Download only when their URLs are given; each link expires with the session.
            let expiry = session.grant.expiresAtMs
            info.hostViewUrl = pages.page("view", file: file, user: session.user, role: .view, expiresAtMs: expiry)
            if session.role >= .comment {
                info.hostEditUrl = pages.page(
                    "edit", file: file, user: session.user, role: session.role, expiresAtMs: expiry)
            }
            info.closeUrl = pages.closed(file)
            info.downloadUrl = pages.page("download", file: file, user: session.user, role: .view, expiresAtMs: expiry)
            info.postMessageOrigin = urls.base.prefixOrigin
            info.breadcrumbBrandName = "Folio"
            info.breadcrumbBrandUrl = urls.base + "/"
            info.breadcrumbDocName = FileName.splitExtension(file.name).base
            info.breadcrumbFolderName = inSpace ? nil : session.folderName
        case nil:
            break
        }
        return info
    }
}
