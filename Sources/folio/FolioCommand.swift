import ArgumentParser

@main
struct FolioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Folio: a WOPI host and office-editing gateway.",
        subcommands: [
            ServeCommand.self, UserCommand.self, ImportCommand.self, ShareCommand.self, TokenCommand.self,
            VersionsCommand.self, DoctorCommand.self, OpenCommand.self, ConfigCommand.self, APIKeyCommand.self,
            GCCommand.self, BackupCommand.self, RestoreCommand.self, MigrateCommand.self, BlobsCommand.self,
            SpaceCommand.self, LockCommand.self,
        ])
}
