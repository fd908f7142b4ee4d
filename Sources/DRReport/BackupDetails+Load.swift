import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import DRStorage
import Foundation

extension BackupDetails {
  /// Backup `id` of `policy` as `storage` (whose settings are `source`) holds it, or the
  /// newest complete one when `id` is nil; each other storage of the policy (its copies and
  /// environments with storage of their own) is asked whether it holds the backup too.
  /// Throws when the backup has no manifest (`notFound`) or it cannot be read.
  public static func load(
    _ id: BackupID?, policy: Policy, source: StorageSettings, storage: Storage, variables: [String: String]
  ) async throws -> BackupDetails {
    let catalogue = Catalogue(storage: storage, policyName: policy.name)
    var warnings: [String] = []
    let manifest: BackupManifest
    if let id {
      manifest = try await catalogue.manifest(of: id)
    } else {
      let entries = try await catalogue.entries()
      guard let newest = entries.first(where: \.complete), let found = newest.manifest else {
        throw BackupError(.notFound, "no complete backup of \(policy.name) in \(storage.location)")
      }
      manifest = found
      warnings += entries.filter { $0.id > newest.id }.compactMap { entry in
        entry.unknownReason.map { "backup \(entry.id) is newer but could not be read: \($0)" }
      }
    }
    let (records, unreadable) = try await catalogue.verificationRecords(of: manifest.id)
    warnings += unreadable.map { "a verification record could not be read: \($0)" }
    let copies = await copyStates(
      of: manifest.id, policy: policy, destinations: StorageTargets(policy: policy).destinations(besides: source),
      variables: variables)
    var details = BackupDetails(manifest, records: records, copies: copies, warnings: warnings)
    if !unreadable.isEmpty { details.verification = "unknown" }
    return details
  }

  /// Whether each destination holds the backup; a storage that cannot be reached or read
  /// is `unknown`, with why.
  static func copyStates(
    of id: BackupID, policy: Policy, destinations: [(name: String, settings: StorageSettings)],
    variables: [String: String]
  ) async -> [Copy] {
    var copies: [Copy] = []
    for (name, settings) in destinations {
      do {
        let storage = try await StorageConnector(environment: variables).connect(settings)
        switch try await Catalogue(storage: storage, policyName: policy.name).lookUpManifest(of: id) {
        case .found: copies.append(Copy(destination: name, state: "complete", reason: nil))
        case .absent: copies.append(Copy(destination: name, state: "absent", reason: nil))
        case .unknown(let problem): copies.append(Copy(destination: name, state: "unknown", reason: problem.reason))
        }
      } catch {
        copies.append(Copy(destination: name, state: "unknown", reason: "\(error)"))
      }
    }
    return copies
  }

  init(_ manifest: BackupManifest, records: [VerificationRecord], copies: [Copy], warnings: [String]) {
    id = manifest.id
    policy = manifest.policy
    startedAt = manifest.startedAt
    finishedAt = manifest.finishedAt
    durationSeconds = manifest.durationSeconds
    formatVersion = manifest.formatVersion
    drVersion = manifest.tool.version
    server = Server(
      version: manifest.database.serverVersion, versionNum: manifest.database.serverVersionNum,
      hosts: manifest.database.hosts, user: manifest.database.user)
    pgDump = Program(version: manifest.pgDump.version, path: manifest.pgDump.path, majorVersion: manifest.dumpMajor)
    sizeBytes = manifest.objects.reduce(0) { $0 + $1.size }
    uncompressedBytes = manifest.objects.reduce(0) { $0 + $1.compression.uncompressedSize }
    encryption = manifest.encryption.map { Encryption(scheme: $0.scheme, keyID: $0.keyID, kdf: $0.kdf?.name) }
    globals = manifest.globals.included
    globalsRolePasswords = manifest.globals.rolePasswords
    databases = manifest.databaseNames.compactMap { name in manifest.selecting(database: name).map(Self.database) }
    objects = manifest.objects.map(Self.object)
    self.copies = copies
    verification = records.first { $0.outcome.isConclusive }?.outcome.rawValue ?? "none"
    verifications = records.map(Self.verification)
    self.warnings = warnings
  }

  /// One database, from the manifest of the backup as if it held that database alone.
  static func database(_ one: BackupManifest) -> Database {
    let entry = one.databases?.first
    return Database(
      name: one.database.name, owner: one.database.owner, sizeBytes: one.database.sizeBytes,
      startedAt: entry?.startedAt, finishedAt: entry?.finishedAt, dump: one.object(.dump)?.key,
      rowCounts: one.rowCounts.mode,
      tables: one.rowCounts.tables.map {
        Table(schema: $0.schema, table: $0.table, rows: $0.rows, partitioned: $0.partitioned)
      })
  }

  static func object(_ object: BackupManifest.Object) -> Object {
    Object(
      key: object.key, role: object.role.rawValue, database: object.database, sizeBytes: object.size,
      sha256: object.sha256, codec: object.compression.codec, level: object.compression.level,
      uncompressedBytes: object.compression.uncompressedSize, encrypted: object.encryption != nil)
  }

  static func verification(_ record: VerificationRecord) -> Verification {
    Verification(
      startedAt: record.startedAt, outcome: record.outcome.rawValue, durationSeconds: record.durationSeconds,
      phases: record.phases, scratch: record.scratch, restoredInto: record.restoredInto,
      tablesCompared: record.tablesCompared, checksRun: record.checksRun, failures: record.failures,
      notes: record.notes ?? [])
  }
}
