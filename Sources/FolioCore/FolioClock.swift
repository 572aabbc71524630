import WOPI

/// The time source for locks, token expiry and version times; injectable so tests can move it.
public protocol FolioClock: Sendable {
    /// Microseconds since the Unix epoch.
    func now() -> Int64
}

public struct SystemClock: FolioClock {
    public init() {}
    public func now() -> Int64 { WOPITime.nowMicroseconds() }
}
