import FolioPreview

/// The converter `preview_engine` chooses, or why there is none: shared by the server and
/// `folio doctor`, so doctor says what the server uses.
struct PreviewSetup: Sendable {
    let converter: OfficeConverter?
    /// What is missing (empty when previews work).
    let missing: [String]

    init(_ configuration: ServerConfiguration) {
        var sandbox = Sandbox()
        sandbox.timeLimit = .seconds(configuration.previewTimeLimitSeconds)
        let office = LibreOfficeEngine(sandbox: sandbox)
        let collabora = (configuration.editors[.collabora] ?? []).map(CollaboraEngine.base(ofDiscovery:))
        let engine: (any OfficeEngine)?
        let missing: [String]
        switch configuration.previewEngine {
        case .off:
            engine = nil
            missing = ["previews are off (preview_engine)"]
        case .libreoffice:
            engine = office
            missing = []
        case .collabora:
            engine = collabora.isEmpty ? nil : CollaboraEngine(nodes: collabora, timeLimit: sandbox.timeLimit)
            missing = collabora.isEmpty ? ["preview_engine is collabora but no Collabora is configured (--editor)"] : []
        case .auto:
            engine =
                office.missingTools.isEmpty || collabora.isEmpty
                ? office : CollaboraEngine(nodes: collabora, timeLimit: sandbox.timeLimit)
            missing = []
        }
        guard let engine else {
            converter = nil
            self.missing = missing
            return
        }
        let converter = OfficeConverter(sandbox: sandbox, engine: engine)
        let lacking = missing + converter.missingTools
        self.missing = lacking
        self.converter = lacking.isEmpty ? converter : nil
    }
}
