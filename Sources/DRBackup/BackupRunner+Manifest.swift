import DRCore
import DRPolicy
import DRPostgres
import Foundation
import Logging

/// What every database of one backup is dumped with, decided in the first one's session:
/// the server, pg_dump, the key, and the globals object.
struct DumpSetup: Sendable {
  let facts: ServerFacts
  let tool: PGTool
  let key: BackupKey?
  let globals: BackupManifest.Object?
  let compression: BackupCompression
  /// Compressor threads of each dump (nil: one per core), set when several run at once.
  var threads: Int?
}

/// One database as dumped: its facts and properties in its snapshot, its dump object and
/// its row counts.
struct DumpedDatabase: Sendable {
  let facts: ServerFacts
  let properties: DatabaseProperties?
  let extensions: [InstalledExtension]?
  let size: Int64
  let object: BackupManifest.Object
  let tables: [TableRowCount]
  let started: Date
  let finished: Date
}

extension BackupRunner {
  /// pg_dump for the server's major, the key (read, and a passphrase stretched, before
  /// pg_dump starts: a missing key fails the backup before anything is written), then the
  /// globals, once for every database.
  func prepare(id: BackupID, session: SnapshotSession, copies: BackupCopies, compression: BackupCompression)
    async throws -> DumpSetup
  {
    let facts = try await session.serverFacts()
    let choice = try await PGToolLocator(environment: environment).choose(
      "pg_dump", forMajor: facts.majorVersion, siblings: policy.backup.globals ? ["pg_dumpall"] : [])
    logger.debug("\(choice)")
    let key = try await KeyRing(policy: policy).sealing(backup: id, environment: environment, logger: logger)
    var globals: BackupManifest.Object?
    if policy.backup.globals {
      globals = try await dumpGlobals(
        id: id, tool: choice.tool, database: DatabaseConnection(url: policy.database.url, environment: environment),
        rolePasswords: facts.readsRolePasswords, copies: copies, key: key, compression: compression)
    }
    return DumpSetup(facts: facts, tool: choice.tool, key: key, globals: globals, compression: compression)
  }

  /// Dumps one database in `session`'s snapshot, its rows counted in the dump itself (so
  /// in the same snapshot); the session is closed on every path.
  func dump(
    _ target: DumpTarget, in session: SnapshotSession, setup: DumpSetup, several: Bool, id: BackupID,
    copies: BackupCopies
  ) async throws -> DumpedDatabase {
    let started = Date()
    do {
      let facts = try await session.serverFacts()
      logger.info("dumping database \(facts.database)")
      let properties = await databaseProperties(facts.database, in: session)
      let extensions = await databaseExtensions(in: session)
      let size = try await session.connection.query("SELECT pg_database_size(current_database())")
      let databaseSize = Int64(size.first?.first.flatMap { $0 } ?? "") ?? 0
      let dumpedTables = policy.verify.rowCounts == .exact ? try await session.dumpedTables() : nil
      let (object, counted) = try await dumpDatabase(
        id: id, tool: setup.tool, database: DatabaseConnection(url: target.url, environment: environment),
        name: several ? facts.database : nil, snapshot: session.snapshotID, size: databaseSize, copies: copies,
        key: setup.key, compression: setup.compression, threads: setup.threads, countRows: dumpedTables != nil)
      var tables: [TableRowCount] = []
      if let dumpedTables { tables = try await rowCounts(dumpedTables, counted: counted, in: session) }
      await session.close()
      progress.dumpUploaded()
      return DumpedDatabase(
        facts: facts, properties: properties, extensions: extensions, size: databaseSize, object: object,
        tables: tables, started: started,
        finished: Date())
    } catch {
      await session.close()
      throw error
    }
  }

  /// The manifest: the first database in `database` and `rowCounts`, as a manifest of one
  /// database has them, and, with several, every one in `databases` (format 2).
  func makeManifest(id: BackupID, started: Date, setup: DumpSetup, dumped: [DumpedDatabase]) -> BackupManifest {
    let (first, facts, tool) = (dumped[0], setup.facts, setup.tool)
    let mode = policy.verify.rowCounts.rawValue
    let objects = dumped.map(\.object) + [setup.globals].compactMap { $0 }
    var manifest = BackupManifest(
      formatVersion: BackupManifest.format(for: objects, databaseCount: dumped.count), id: id, policy: policy.name,
      tool: .init(name: "dr", version: DRVersion.current),
      database: .init(
        name: first.facts.database, user: facts.user, hosts: policy.database.url.hosts, serverVersion: facts.version,
        serverVersionNum: facts.versionNumber, sizeBytes: first.size, owner: first.facts.owner),
      pgDump: .init(path: tool.path, version: tool.version, majorVersion: tool.majorVersion), startedAt: started,
      finishedAt: Date(), objects: objects,
      encryption: setup.key?.encryption,
      globals: .init(included: policy.backup.globals, rolePasswords: policy.backup.globals && facts.readsRolePasswords),
      rowCounts: .init(mode: mode, tables: first.tables))
    manifest.database.extensions = first.extensions
    if dumped.count > 1 {
      manifest.databases = dumped.map {
        var entry = BackupManifest.DatabaseEntry(
          name: $0.facts.database, owner: $0.facts.owner, sizeBytes: $0.size,
          rowCounts: .init(mode: mode, tables: $0.tables), startedAt: $0.started, finishedAt: $0.finished)
        entry.extensions = $0.extensions
        return entry
      }
    }
    return manifest
  }
}

extension BackupRunner {
  /// Every table's rows as the archive counted them. When it could not (an archive format
  /// this dr does not know, a table without its data block), `count(*)` of every table in
  /// the snapshot, still open: the same numbers, for a second read of each table.
  func rowCounts(_ tables: DumpedTables, counted: ArchiveRowCounter.Outcome?, in session: SnapshotSession)
    async throws -> [TableRowCount]
  {
    let why: String
    switch counted {
    case .counted(let counts):
      switch tables.rowCounts(counts) {
      case .success(let rows): return rows
      case .failure(let missing): why = missing.description
      }
    case .unavailable(let reason): why = reason
    case nil: why = "it was not counted"
    }
    logger.notice("the rows cannot be counted in the dump (\(why)): counting every table in its snapshot instead")
    return try await session.rowCounts()
  }

  /// The database's own properties, read in the dump's snapshot. Not fatal: without them
  /// the backup restores as one of an older dr does (the database's own properties lost).
  func databaseProperties(_ database: String, in session: SnapshotSession) async -> DatabaseProperties? {
    do {
      return try await session.databaseProperties(of: database)
    } catch {
      logger.warning(
        "the properties of database \(database) (owner, settings, privileges, comment) cannot be read: \(error)")
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

  /// Puts each database's properties in the manifest: as they are, or sealed with the
  /// backup's key when the backup is encrypted (a setting's value may be a secret); in a
  /// backup of several, each sealed under its own database's name.
  func record(_ dumped: [DumpedDatabase], in manifest: inout BackupManifest, key: BackupKey?) throws {
    for (index, database) in dumped.enumerated() {
      guard let properties = database.properties else { continue }
      let name = manifest.databases == nil ? nil : database.facts.database
      let sealed = try key.map { try $0.seal(properties, database: name) }
      if index == 0 {
        manifest.database.properties = sealed == nil ? properties : nil
        manifest.database.sealedProperties = sealed
      }
      if manifest.databases != nil {
        manifest.databases?[index].properties = sealed == nil ? properties : nil
        manifest.databases?[index].sealedProperties = sealed
      }
    }
  }
}
