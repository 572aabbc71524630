/// A verified request on a file: who, which file, with which role, and the token's expiry.
public struct FileSession: Sendable {
    public var file: StoredFile
    public var user: User
    /// The smaller of the token's role and the role the user holds now.
    public var role: Role
    public var grant: AccessGrant
    /// The name of the file's folder, when known (Microsoft's breadcrumbs).
    public var folderName: String? = nil

    public var canWrite: Bool { role == .edit }
}

/// A verified request on a folder (WOPI container).
public struct ContainerSession: Sendable {
    public var folder: Folder
    public var user: User
    public var role: Role
    public var grant: AccessGrant
}

/// A verified request on the user's ecosystem.
public struct EcosystemSession: Sendable {
    public var user: User
    public var grant: AccessGrant
}
