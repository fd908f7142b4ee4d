import DRCore
import DRPolicy
import DRPostgres
import Foundation

extension BackupRunner {
  func makeManifest(
    id: BackupID, started: Date, facts: ServerFacts, size: Int64, tool: PGTool, objects: [BackupManifest.Object],
    encryption: BackupManifest.Encryption?, tables: [TableRowCount]
  ) -> BackupManifest {
    BackupManifest(
      formatVersion: BackupManifest.format(for: objects), id: id, policy: policy.name,
      tool: .init(name: "dr", version: DRVersion.current),
      database: .init(
        name: facts.database, user: facts.user, hosts: policy.database.url.hosts, serverVersion: facts.version,
        serverVersionNum: facts.versionNumber, sizeBytes: size, owner: facts.owner),
      pgDump: .init(path: tool.path, version: tool.version), startedAt: started, finishedAt: Date(),
      objects: objects, encryption: encryption,
      globals: .init(included: policy.backup.globals, rolePasswords: policy.backup.globals && facts.isSuperuser),
      rowCounts: .init(mode: policy.verify.rowCounts.rawValue, tables: tables))
  }
}
