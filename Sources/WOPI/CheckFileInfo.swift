/// The CheckFileInfo response (PROTOCOL.md §A.6). Optional properties left `nil` are omitted
/// from the JSON, so the host advertises only what it sets.
public struct CheckFileInfo: Codable, Sendable, Equatable {
    // Required.
    public var baseFileName: String
    public var ownerId: String
    public var size: Int64
    public var userId: String
    public var version: String

    // Capabilities: `true` promises every operation of the group.
    public var supportsLocks: Bool?
    public var supportsGetLock: Bool?
    public var supportsExtendedLockLength: Bool?
    public var supportsUpdate: Bool?
    public var supportsRename: Bool?
    public var supportsDeleteFile: Bool?
    public var supportsUserInfo: Bool?
    public var supportsContainers: Bool?
    public var supportsEcosystem: Bool?
    public var supportsFolders: Bool?
    public var supportsCoauth: Bool?
    public var supportsCobalt: Bool?

    // Permissions (hints for the client; the token stays the authority).
    public var userCanWrite: Bool?
    public var userCanRename: Bool?
    public var userCanNotWriteRelative: Bool?
    public var readOnly: Bool?
    public var restrictedWebViewOnly: Bool?

    // User.
    public var userFriendlyName: String?
    public var isAnonymousUser: Bool?
    public var userInfo: String?
    public var licenseCheckForEditIsEnabled: Bool?
    public var isEduUser: Bool?

    // URLs and other metadata.
    public var hostViewUrl: String?
    public var hostEditUrl: String?
    public var closeUrl: String?
    public var downloadUrl: String?
    public var lastModifiedTime: String?
    public var fileExtension: String?
    public var fileNameMaxLength: Int?
    public var sha256: String?
    public var uniqueContentId: String?
    public var breadcrumbBrandName: String?
    public var breadcrumbFolderName: String?
    public var breadcrumbDocName: String?
    public var breadcrumbBrandUrl: String?

    // Collabora and ONLYOFFICE extensions (PROTOCOL.md §B, §D.2).
    public var postMessageOrigin: String?
    public var userExtraInfo: [String: String]?
    public var enableOwnerTermination: Bool?
    public var userCanOnlyComment: Bool?
    public var hidePrintOption: Bool?
    public var hideExportOption: Bool?
    public var disablePrint: Bool?
    public var disableExport: Bool?
    public var disableCopy: Bool?
    public var watermarkText: String?
    public var copyPasteRestrictions: String?
    // Sharing and new documents.
    public var supportedShareUrlTypes: [String]?
    public var fileSharingUrl: String?
    public var fileSharingPostMessage: Bool?
    public var templateSource: String?

    public init(baseFileName: String, ownerId: String, size: Int64, userId: String, version: String) {
        self.baseFileName = baseFileName
        self.ownerId = ownerId
        self.size = size
        self.userId = userId
        self.version = version
    }

    /// The JSON body, written directly (see `JSONWriter`); nil properties are left out.
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.add(CodingKeys.baseFileName.rawValue, baseFileName)
        w.add(CodingKeys.ownerId.rawValue, ownerId)
        w.add(CodingKeys.size.rawValue, size)
        w.add(CodingKeys.userId.rawValue, userId)
        w.add(CodingKeys.version.rawValue, version)
        w.add(CodingKeys.supportsLocks.rawValue, supportsLocks)
        w.add(CodingKeys.supportsGetLock.rawValue, supportsGetLock)
        w.add(CodingKeys.supportsExtendedLockLength.rawValue, supportsExtendedLockLength)
        w.add(CodingKeys.supportsUpdate.rawValue, supportsUpdate)
        w.add(CodingKeys.supportsRename.rawValue, supportsRename)
        w.add(CodingKeys.supportsDeleteFile.rawValue, supportsDeleteFile)
        w.add(CodingKeys.supportsUserInfo.rawValue, supportsUserInfo)
        w.add(CodingKeys.supportsContainers.rawValue, supportsContainers)
        w.add(CodingKeys.supportsEcosystem.rawValue, supportsEcosystem)
        w.add(CodingKeys.supportsFolders.rawValue, supportsFolders)
        w.add(CodingKeys.supportsCoauth.rawValue, supportsCoauth)
        w.add(CodingKeys.supportsCobalt.rawValue, supportsCobalt)
        w.add(CodingKeys.userCanWrite.rawValue, userCanWrite)
        w.add(CodingKeys.userCanRename.rawValue, userCanRename)
        w.add(CodingKeys.userCanNotWriteRelative.rawValue, userCanNotWriteRelative)
        w.add(CodingKeys.readOnly.rawValue, readOnly)
        w.add(CodingKeys.restrictedWebViewOnly.rawValue, restrictedWebViewOnly)
        w.add(CodingKeys.userFriendlyName.rawValue, userFriendlyName)
        w.add(CodingKeys.isAnonymousUser.rawValue, isAnonymousUser)
        w.add(CodingKeys.userInfo.rawValue, userInfo)
        w.add(CodingKeys.licenseCheckForEditIsEnabled.rawValue, licenseCheckForEditIsEnabled)
        w.add(CodingKeys.isEduUser.rawValue, isEduUser)
        w.add(CodingKeys.hostViewUrl.rawValue, hostViewUrl)
        w.add(CodingKeys.hostEditUrl.rawValue, hostEditUrl)
        w.add(CodingKeys.closeUrl.rawValue, closeUrl)
        w.add(CodingKeys.downloadUrl.rawValue, downloadUrl)
        w.add(CodingKeys.lastModifiedTime.rawValue, lastModifiedTime)
        w.add(CodingKeys.fileExtension.rawValue, fileExtension)
        w.add(CodingKeys.fileNameMaxLength.rawValue, fileNameMaxLength.map(Int64.init))
        w.add(CodingKeys.sha256.rawValue, sha256)
        w.add(CodingKeys.uniqueContentId.rawValue, uniqueContentId)
        w.add(CodingKeys.breadcrumbBrandName.rawValue, breadcrumbBrandName)
        w.add(CodingKeys.breadcrumbFolderName.rawValue, breadcrumbFolderName)
        w.add(CodingKeys.breadcrumbDocName.rawValue, breadcrumbDocName)
        w.add(CodingKeys.breadcrumbBrandUrl.rawValue, breadcrumbBrandUrl)
        w.add(CodingKeys.postMessageOrigin.rawValue, postMessageOrigin)
        w.add(CodingKeys.userExtraInfo.rawValue, userExtraInfo)
        w.add(CodingKeys.enableOwnerTermination.rawValue, enableOwnerTermination)
        w.add(CodingKeys.userCanOnlyComment.rawValue, userCanOnlyComment)
        w.add(CodingKeys.hidePrintOption.rawValue, hidePrintOption)
        w.add(CodingKeys.hideExportOption.rawValue, hideExportOption)
        w.add(CodingKeys.disablePrint.rawValue, disablePrint)
        w.add(CodingKeys.disableExport.rawValue, disableExport)
        w.add(CodingKeys.disableCopy.rawValue, disableCopy)
        w.add(CodingKeys.watermarkText.rawValue, watermarkText)
        w.add(CodingKeys.copyPasteRestrictions.rawValue, copyPasteRestrictions)
        w.add(CodingKeys.supportedShareUrlTypes.rawValue, supportedShareUrlTypes)
        w.add(CodingKeys.fileSharingUrl.rawValue, fileSharingUrl)
        w.add(CodingKeys.fileSharingPostMessage.rawValue, fileSharingPostMessage)
        w.add(CodingKeys.templateSource.rawValue, templateSource)
        return w.finished()
    }

    enum CodingKeys: String, CodingKey {
        case baseFileName = "BaseFileName"
        case ownerId = "OwnerId"
        case size = "Size"
        case userId = "UserId"
        case version = "Version"
        case supportsLocks = "SupportsLocks"
        case supportsGetLock = "SupportsGetLock"
        case supportsExtendedLockLength = "SupportsExtendedLockLength"
        case supportsUpdate = "SupportsUpdate"
        case supportsRename = "SupportsRename"
        case supportsDeleteFile = "SupportsDeleteFile"
        case supportsUserInfo = "SupportsUserInfo"
        case supportsContainers = "SupportsContainers"
        case supportsEcosystem = "SupportsEcosystem"
        case supportsFolders = "SupportsFolders"
        case supportsCoauth = "SupportsCoauth"
        case supportsCobalt = "SupportsCobalt"
        case userCanWrite = "UserCanWrite"
        case userCanRename = "UserCanRename"
        case userCanNotWriteRelative = "UserCanNotWriteRelative"
        case readOnly = "ReadOnly"
        case restrictedWebViewOnly = "RestrictedWebViewOnly"
        case userFriendlyName = "UserFriendlyName"
        case isAnonymousUser = "IsAnonymousUser"
        case userInfo = "UserInfo"
        case licenseCheckForEditIsEnabled = "LicenseCheckForEditIsEnabled"
        case isEduUser = "IsEduUser"
        case hostViewUrl = "HostViewUrl"
        case hostEditUrl = "HostEditUrl"
        case closeUrl = "CloseUrl"
        case downloadUrl = "DownloadUrl"
        case lastModifiedTime = "LastModifiedTime"
        case fileExtension = "FileExtension"
        case fileNameMaxLength = "FileNameMaxLength"
        case sha256 = "SHA256"
        case uniqueContentId = "UniqueContentId"
        case breadcrumbBrandName = "BreadcrumbBrandName"
        case breadcrumbFolderName = "BreadcrumbFolderName"
        case breadcrumbDocName = "BreadcrumbDocName"
        case breadcrumbBrandUrl = "BreadcrumbBrandUrl"
        case postMessageOrigin = "PostMessageOrigin"
        case userExtraInfo = "UserExtraInfo"
        case enableOwnerTermination = "EnableOwnerTermination"
        case userCanOnlyComment = "UserCanOnlyComment"
        case hidePrintOption = "HidePrintOption"
        case hideExportOption = "HideExportOption"
        case disablePrint = "DisablePrint"
        case disableExport = "DisableExport"
        case disableCopy = "DisableCopy"
        case watermarkText = "WatermarkText"
        case copyPasteRestrictions = "CopyPasteRestrictions"
        case supportedShareUrlTypes = "SupportedShareUrlTypes"
        case fileSharingUrl = "FileSharingUrl"
        case fileSharingPostMessage = "FileSharingPostMessage"
        case templateSource = "TemplateSource"
    }
}
