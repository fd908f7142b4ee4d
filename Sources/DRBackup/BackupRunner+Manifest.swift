import DRCore
import DRPolicy
import DRPostgres
import Foundation
import Logging

extension BackupRunner {
  func makeManifest(
    id: BackupID, started: Date, facts: ServerFacts, size: Int64, tool: PGTool, objects: [BackupManifest.Object],
    encryption: BackupManifest.Encryption?, tables: [TableRowCount]
  ) -> BackupManifest {
    BackupManifest(
      formatVersion: BackupManifest.currentFormat, id: id, policy: policy.name,
      tool: .init(name: "dr", version: DRVersion.current),
      database: .init(
        name: facts.database, user: facts.user, hosts: policy.database.url.hosts, serverVersion: facts.version,
        serverVersionNum: facts.versionNumber, sizeBytes: size, owner: facts.owner),
      pgDump: .init(path: tool.path, version: tool.version, majorVersion: tool.majorVersion), startedAt: started,
      finishedAt: Date(),
      objects: objects, encryption: encryption,
      globals: .init(included: policy.backup.globals, rolePasswords: policy.backup.globals && facts.readsRolePasswords),
      rowCounts: .init(mode: policy.verify.rowCounts.rawValue, tables: tables))
  }
}

extension BackupRunner {
  /// The database's own properties, read in the dump's snapshot. Not fatal: without them
  /// the backup restores as one of an older dr does (the database's own properties lost).
  func databaseProperties(_ database: String, in session: SnapshotSession) async -> DatabaseProperties? {
    do {
      return try await session.databaseProperties(of: database)
    } catch {
      logger.warning("the database's own properties (owner, settings, privileges, comment) cannot be read: \(error)")
      return nil
    }
  }

  /// The database's extensions, read in the dump's snapshot. Not fatal: without them a dry
  /// run says the extensions are unknown.
  func databaseExtensions(in session: SnapshotSession) async -> [InstalledExtension]? {
    do {
      return try await session.extensions()
    } catch {
      logger.warning("the database's extensions cannot be read (a dry run will not know them): \(error)")
      return nil
    }
  }

  /// Puts `properties` in the manifest: as they are, or sealed with the backup's key when
  /// the backup is encrypted (a setting's value may be a secret).
  func record(_ properties: DatabaseProperties?, in manifest: inout BackupManifest, key: BackupKey?) throws {
    guard let properties else { return }
    if let key {
      manifest.database.sealedProperties = try key.seal(properties)
    } else {
      manifest.database.properties = properties
    }
  }
}
