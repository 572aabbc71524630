import FolioCore

/// JSON bodies of the container and ecosystem operations (PROTOCOL.md §A.7).

/// `{"Name","Url"}`: a container pointer or an ancestor.
struct Pointer: Encodable {
    var name: String
    var url: String
    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case url = "Url"
    }
}

struct ContainerPointerAnswer: Encodable {
    var containerPointer: Pointer
    enum CodingKeys: String, CodingKey { case containerPointer = "ContainerPointer" }
}

struct AncestorsAnswer: Encodable {
    var ancestorsWithRootFirst: [Pointer]
    enum CodingKeys: String, CodingKey { case ancestorsWithRootFirst = "AncestorsWithRootFirst" }
}

struct URLAnswer: Encodable {
    var url: String
    enum CodingKeys: String, CodingKey { case url = "Url" }
}

struct NameAnswer: Encodable {
    var name: String
    enum CodingKeys: String, CodingKey { case name = "Name" }
}

struct CheckContainerInfoAnswer: Encodable {
    var name: String
    var userCanCreateChildContainer: Bool
    var userCanCreateChildFile: Bool
    var userCanDelete: Bool
    var userCanRename: Bool
    var licenseCheckForEditIsEnabled = false
    var isEduUser = false
    var supportedShareUrlTypes: [String]?
    enum CodingKeys: String, CodingKey {
        case supportedShareUrlTypes = "SupportedShareUrlTypes"
        case licenseCheckForEditIsEnabled = "LicenseCheckForEditIsEnabled"
        case isEduUser = "IsEduUser"
        case name = "Name"
        case userCanCreateChildContainer = "UserCanCreateChildContainer"
        case userCanCreateChildFile = "UserCanCreateChildFile"
        case userCanDelete = "UserCanDelete"
        case userCanRename = "UserCanRename"
    }
}

struct ChildrenAnswer: Encodable {
    struct ChildFile: Encodable {
        var name: String
        var url: String
        var version: String
        var size: Int64
        var lastModifiedTime: String
        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case url = "Url"
            case version = "Version"
            case size = "Size"
            case lastModifiedTime = "LastModifiedTime"
        }
    }
    var childFiles: [ChildFile]
    var childContainers: [Pointer]
    enum CodingKeys: String, CodingKey {
        case childFiles = "ChildFiles"
        case childContainers = "ChildContainers"
    }
}

struct CheckEcosystemAnswer: Encodable {
    var supportsContainers = true
    enum CodingKeys: String, CodingKey { case supportsContainers = "SupportsContainers" }
}

/// A file made by PutRelativeFile or CreateChildFile, with its host pages (Office's convert
/// flow navigates to `HostEditUrl`).
struct NewFileAnswer: Encodable {
    var name: String
    var url: String
    var hostViewUrl: String
    var hostEditUrl: String
    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case url = "Url"
        case hostViewUrl = "HostViewUrl"
        case hostEditUrl = "HostEditUrl"
    }

    init(file: StoredFile, user: User, url: String, expiresAtMs: Int64, pages: HostPageLinks) {
        name = file.name
        self.url = url
        hostViewUrl = pages.page("view", file: file, user: user, role: .view, expiresAtMs: expiresAtMs)
        hostEditUrl = pages.page("edit", file: file, user: user, role: .edit, expiresAtMs: expiresAtMs)
    }
}
