import FolioCore
import Foundation
import Logging
import WOPI

/// Makes the listing's thumbnail (and so the PDF) of each new version ahead of time, so people
/// see it on their next visit without waiting. It follows `Folio.contentChanges`, lets a file's
/// saves settle first (an editor autosaving every few minutes makes one preview per pause, not
/// per save), and converts only when the pool is idle, one document at a time and at the lowest
/// CPU priority: conversions people ask for always go first (one that finds the worker taken by
/// this stops it: `ConversionPool`), and a save never waits for any of this, nor shares its CPU
/// with it.
public actor PreviewsAhead {
    let service: PreviewService
    let settle: Duration
    let size: Int
    let maxPending: Int
    /// Subscribed when made, so no save between making and running is missed.
    let changes: AsyncStream<String>
    /// Files waiting for their saves to settle, with when they were last saved.
    var pending: [String: ContinuousClock.Instant] = [:]
    /// How many documents it has made ahead (tests and the log read it).
    public private(set) var made = 0

    public init(service: PreviewService, settle: Duration = .seconds(20), size: Int = 64, maxPending: Int = 10_000) {
        self.service = service
        self.settle = settle
        self.size = size
        self.maxPending = maxPending
        changes = service.folio.contentChanges.subscribe()
    }

    /// Follows the changes and works until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.follow() }
            group.addTask { await self.work() }
            await group.next()
            group.cancelAll()
        }
    }

    func follow() async {
        for await id in changes {
            if Task.isCancelled { return }
            note(id)
        }
    }

    func note(_ id: String) {
        // Past the bound the newest saves win: the rest are made when first asked for.
        if pending[id] == nil, pending.count >= maxPending { return }
        pending[id] = .now
    }

    func work() async {
        while !Task.isCancelled {
            if let id = nextDue(), await service.pool.isIdle {
                pending[id] = nil
                await make(id)
                continue
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// The file whose saves settled longest ago.
    func nextDue() -> String? {
        let now = ContinuousClock.now
        return pending.filter { now - $0.value >= settle }.min { $0.value < $1.value }?.key
    }

    func make(_ id: String) async {
        let folio = service.folio
        do {
            guard let file = try await folio.files.file(id: id), !folio.isSpaceFile(file),
                PreviewService.previewable.contains(
                    String(FileName.splitExtension(file.name).ext.dropFirst()).lowercased()),
                let version = try await folio.files.versions(fileID: id).last, version.hasContent
            else { return }
            _ = try await ConversionPriority.$current.withValue(.background) {
                try await service.thumbnail(of: version, fileName: file.name, size: size)
            }
            made += 1
        } catch ConversionError.preempted {
            // Its worker went to someone waiting: made again once the pool is idle.
            note(id)
        } catch {
            // Remembered as failed where the document is at fault; anything else is tried when asked.
            service.logger.debug("no preview ahead", metadata: ["file": "\(id)", "error": "\(error)"])
        }
    }
}
