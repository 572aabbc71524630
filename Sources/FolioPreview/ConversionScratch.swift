import FolioCore
import Foundation

/// The scratch folder of one conversion: in the system's temp folder, named
/// `folio-convert-<random>`, writable by the sandbox's uid, removed when the run ends. A Folio
/// killed mid-run (SIGKILL, a crash, the machine) cannot remove it; the next start sweeps
/// what is older than any run can last.
public enum ConversionScratch {
    static let prefix = "folio-convert-"

    /// A new, empty scratch folder.
    static func make() throws -> URL {
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            prefix + Identifier.random(), isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        // The engines run as another uid: the scratch folder must be theirs to write.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.path)
        return scratch
    }

    /// Removes scratch folders nothing has changed for `age` (longer than a run may last,
    /// so never one another Folio on this machine is using); the number removed.
    @discardableResult
    public static func sweep(olderThan age: Duration, in parent: String = NSTemporaryDirectory(), now: Date = Date())
        -> Int
    {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: parent) else { return 0 }
        let cutoff = now.addingTimeInterval(-Double(age.components.seconds))
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            let path = parent + "/" + name
            guard let attributes = try? fm.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeDirectory,
                let modified = attributes[.modificationDate] as? Date, modified < cutoff
            else { continue }
            if (try? fm.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }
}
