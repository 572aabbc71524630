import FolioPreview
import Foundation
import Logging
import ServiceLifecycle

/// The conversions' life beside the server's: at start, scratch folders a killed Folio left
/// are swept; at shutdown, thumbnails under way in the background are cancelled and awaited,
/// so that none is cut off mid-run with its folder left behind.
struct PreviewsBackgroundService: Service {
    let previews: PreviewService
    /// Scratch folders untouched this long are left over: longer than any run may last.
    let leftoverAge: Duration
    /// Where scratch folders are made (the system's temp folder).
    let scratchParent: String
    let logger: Logger

    init(
        previews: PreviewService, timeLimitSeconds: Int, logger: Logger,
        scratchParent: String = NSTemporaryDirectory()
    ) {
        self.previews = previews
        leftoverAge = .seconds(max(15 * 60, 4 * timeLimitSeconds))
        self.scratchParent = scratchParent
        self.logger = logger
    }

    func run() async {
        let swept = ConversionScratch.sweep(olderThan: leftoverAge, in: scratchParent)
        if swept > 0 { logger.notice("removed \(swept) conversion scratch folders left by a stopped Folio") }
        try? await gracefulShutdown()
        await previews.stopBackground()
    }
}
