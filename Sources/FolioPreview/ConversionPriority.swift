/// Whose conversion this is. Work nobody waits for (thumbnails and PDFs made ahead of time, or
/// for a listing) runs its sandbox under the idle scheduling policy, so it takes only the CPU
/// that requests leave idle: at Folio's own priority, one such LibreOffice took a whole core of
/// a two-core machine for minutes and saves ran at half their rate beside it. A person waiting
/// for a preview gets Folio's priority.
public enum ConversionPriority: Sendable, Equatable {
    case interactive
    case background

    /// The priority of the conversions the current task starts.
    @TaskLocal public static var current: ConversionPriority = .interactive

    /// The niceness of the scheduling group (autogroup) of a sandbox started at this priority.
    var niceness: Int {
        switch self {
        case .interactive: 0
        case .background: 19
        }
    }
}
