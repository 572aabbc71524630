/// Values of `X-WOPI-Override` that select an operation on `POST /files/{id}`,
/// `POST /containers/{id}` and `POST /ecosystem`.
public enum WOPIOverride: String, Sendable, CaseIterable {
    case put = "PUT"
    case lock = "LOCK"
    case getLock = "GET_LOCK"
    case refreshLock = "REFRESH_LOCK"
    case unlock = "UNLOCK"
    case putRelative = "PUT_RELATIVE"
    case renameFile = "RENAME_FILE"
    case delete = "DELETE"
    case putUserInfo = "PUT_USER_INFO"
    case getShareURL = "GET_SHARE_URL"
    case createChildContainer = "CREATE_CHILD_CONTAINER"
    case createChildFile = "CREATE_CHILD_FILE"
    case deleteContainer = "DELETE_CONTAINER"
    case renameContainer = "RENAME_CONTAINER"
    case getWopiSrcWithAccessToken = "GET_WOPI_SRC_WITH_ACCESS_TOKEN"

    /// Parses a header value; clients send upper case but header values are compared
    /// case-insensitively by some hosts, so accept any case.
    public init?(header: String) {
        self.init(rawValue: header.uppercased())
    }
}
