/// Limits and defaults the services enforce.
public struct FolioSettings: Sendable {
    /// Largest content accepted in one write (PutFile, PutRelativeFile, import); above it, 413.
    public var maxUploadBytes: Int64
    /// Default access-token lifetime: Microsoft recommends about ten hours.
    public var tokenLifetimeSeconds: Int64
    /// Longest file name, without the extension (`FileNameMaxLength`).
    public var maxNameLength: Int

    public init(maxUploadBytes: Int64 = 4 << 30, tokenLifetimeSeconds: Int64 = 10 * 3600, maxNameLength: Int = 250) {
        self.maxUploadBytes = maxUploadBytes
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.maxNameLength = maxNameLength
    }
}
