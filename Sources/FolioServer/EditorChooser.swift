import FolioCore
import WOPI

/// Which configured editors can open a file, and with which discovery action.
struct EditorChooser: Sendable {
    let registry: EditorRegistry

    /// For "New document": whether any editor will open it, and whether it should start empty
    /// (editors that create the document themselves: Office and ONLYOFFICE with editnew,
    /// Collabora from TemplateSource); without an editor it holds the template.
    func newDocument(_ template: DocumentTemplate) async -> (editable: Bool, empty: Bool) {
        let options = await options(
            ext: template.rawValue, action: "edit", emptyFile: true, canConvert: false, fileID: nil)
        return (!options.isEmpty, options.first.map { $0.0 == .collabora || $0.2.name == "editnew" } ?? false)
    }

    /// Every configured editor whose discovery offers the action for the extension. Editing
    /// falls back to the editor's `convert` action (a legacy format converted into a new
    /// OOXML file beside it, through PutRelativeFile) for users who may create that file.
    /// In a cluster the action comes from the node that opens `fileID` (see `EditorRegistry`).
    func options(ext: String, action: String, emptyFile: Bool, canConvert: Bool, fileID: String?) async -> [(
        EditorKind, Discovery.App, Discovery.Action
    )] {
        var options: [(EditorKind, Discovery.App, Discovery.Action)] = []
        for kind in EditorKind.allCases where registry.isConfigured(kind) {
            // Just after start (or while an editor was down) discovery may not be loaded yet.
            guard let discovery = await registry.discovery(for: kind, fileID: fileID) else { continue }
            var names = emptyFile && action == "edit" && kind != .collabora ? ["editnew", "edit"] : [action]
            if action == "edit", canConvert { names.append("convert") }
            // Collabora publishes only `edit` for the formats it edits: viewing is that action
            // with a view-only token (CheckFileInfo then says UserCanWrite false, ReadOnly true).
            if action == "view" { names.append("edit") }
            for name in names {
                if let app = discovery.apps.first(where: { $0.actions.contains { $0.name == name && $0.ext == ext } }),
                    let chosen = app.actions.first(where: { $0.name == name && $0.ext == ext })
                {
                    options.append((kind, app, chosen))
                    break
                }
            }
        }
        return options
    }

    /// Whether some editor's loaded discovery offers `action` for the extension (no waiting:
    /// for listings).
    func offers(_ action: String, ext: String) -> Bool {
        EditorKind.allCases.contains { kind in
            registry.loadedDiscoveries(for: kind).contains { discovery in
                discovery.apps.contains { app in
                    app.actions.contains {
                        $0.ext == ext && ($0.name == action || (action == "edit" && $0.name == "convert"))
                    }
                }
            }
        }
    }
}
