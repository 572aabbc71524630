import FolioPreview
import ServiceLifecycle

/// Runs the previews made ahead of time for as long as the server runs.
struct PreviewsAheadService: Service {
    let ahead: PreviewsAhead

    func run() async {
        await cancelWhenGracefulShutdown { await ahead.run() }
    }
}
