import Foundation
import Testing
import WOPI

@Suite struct CheckFileInfoJSONTests {
    /// Every property set, with characters that need escaping.
    var full: CheckFileInfo {
        var info = CheckFileInfo(
            baseFileName: "Quote \" back\\slash\ttab\u{1}.docx", ownerId: "o", size: 42, userId: "u", version: "7")
        let mirror = Mirror(reflecting: info)
        #expect(mirror.children.count == CheckFileInfoJSONTests.propertyCount)
        info.supportsLocks = true
        info.supportsGetLock = false
        info.supportsExtendedLockLength = true
        info.supportsUpdate = true
        info.supportsRename = true
        info.supportsDeleteFile = true
        info.supportsUserInfo = true
        info.supportsContainers = true
        info.supportsEcosystem = true
        info.supportsFolders = false
        info.supportsCoauth = false
        info.supportsCobalt = false
        info.userCanWrite = true
        info.userCanRename = true
        info.userCanNotWriteRelative = false
        info.readOnly = false
        info.restrictedWebViewOnly = false
        info.userFriendlyName = "Алиса 😀"
        info.isAnonymousUser = false
        info.userInfo = "theme=dark"
        info.licenseCheckForEditIsEnabled = false
        info.isEduUser = false
        info.hostViewUrl = "http://h/view"
        info.hostEditUrl = "http://h/edit"
        info.closeUrl = "http://h/"
        info.downloadUrl = "http://h/dl"
        info.lastModifiedTime = "2009-06-15T13:45:30.0000000Z"
        info.fileExtension = ".docx"
        info.fileNameMaxLength = 250
        info.sha256 = "abc="
        info.uniqueContentId = "c"
        info.breadcrumbBrandName = "Folio"
        info.breadcrumbFolderName = "Docs"
        info.breadcrumbDocName = "Quote"
        info.breadcrumbBrandUrl = "http://h/"
        info.postMessageOrigin = "http://h"
        info.userExtraInfo = ["login": "alice", "quote": "\""]
        info.enableOwnerTermination = true
        info.userCanOnlyComment = false
        info.hidePrintOption = true
        info.hideExportOption = true
        info.disablePrint = true
        info.disableExport = true
        info.disableCopy = true
        info.watermarkText = "Confidential"
        info.copyPasteRestrictions = "BlockAll"
        info.supportedShareUrlTypes = ["ReadOnly", "Read\"Write"]
        info.fileSharingUrl = "http://h/share"
        info.fileSharingPostMessage = true
        info.templateSource = "http://h/templates/blank.docx"
        return info
    }

    static let propertyCount = 55

    @Test func directJSONMatchesTheEncoder() throws {
        let info = full
        let direct = try JSONSerialization.jsonObject(with: Data(info.json())) as? NSDictionary
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(info)) as? NSDictionary
        #expect(direct != nil && direct == encoded)
        #expect(direct?.count == Self.propertyCount)
    }

    @Test func nilPropertiesAreLeftOut() throws {
        let info = CheckFileInfo(baseFileName: "a.docx", ownerId: "o", size: 0, userId: "u", version: "1")
        let object = try JSONSerialization.jsonObject(with: Data(info.json())) as? [String: Any]
        #expect(object?.keys.sorted() == ["BaseFileName", "OwnerId", "Size", "UserId", "Version"])
    }
}
