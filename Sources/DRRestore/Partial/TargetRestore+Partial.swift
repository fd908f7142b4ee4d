import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import Foundation
import Logging

extension TargetRestore {
  /// A partial restore worked out against its target, before anything changes.
  public struct PartialSetup: Sendable {
    public let plan: PartialPlan
    public let request: PartialRequest
    /// The target database exists (else it is made, from the restored objects alone).
    public let targetExists: Bool
    /// `--into-schema`'s name exists in the target already.
    public let intoSchemaExists: Bool
    /// Owners of restored objects that the target server lacks (a partial restore makes no
    /// roles): refused unless `--no-owner`.
    public let missingOwners: [String]

    /// Why the restore is refused: restored objects the target has.
    public var conflicts: [String] {
      (intoSchemaExists ? ["SCHEMA \(request.intoSchema ?? "")"] : []) + plan.conflicts.map(\.described)
    }
  }

  /// Reads the dump's TOC and plans the restore of `request`: names the backup lacks are
  /// refused (exit 2, with its closest names), and so is nothing but that. Changes nothing.
  public func planPartial(_ prepared: Prepared, request: PartialRequest) async throws -> PartialSetup {
    try await planPartial(
      prepared.manifest, key: prepared.key, target: prepared.target, database: prepared.database, request: request)
  }

  func planPartial(
    _ manifest: BackupManifest, key: BackupKey?, target: PostgresURL, database: TargetDatabase,
    request: PartialRequest
  ) async throws -> PartialSetup {
    let toc = try await restorer(manifest, key: key).readTableOfContents()
    let unknown = PartialPlan.unknownNames(toc, request)
    guard unknown.isEmpty else {
      throw RestoreError(
        .unknownObject,
        unknown.map(\.message).joined(separator: "; ") + " (backup \(manifest.id)). "
          + "Nothing was changed")
    }
    let state = try await database.inspect()
    let objects =
      state.exists
      ? try await TargetObjects.read(try await PGConnection.connect(target.connectionString.value))
      : try await TargetObjects.fresh(try await PGConnection.connect(database.maintenance))
    let plan = PartialPlan(toc: toc, request: request, exists: objects.has)
    return PartialSetup(
      plan: plan, request: request, targetExists: state.exists,
      intoSchemaExists: request.intoSchema.map(objects.schemas.contains) ?? false,
      missingOwners: Set(plan.entries.compactMap(\.owner).filter { !$0.isEmpty }).subtracting(objects.roles).sorted())
  }

  /// What a partial restore did.
  public struct PartialResult: Sendable, Encodable {
    public struct Table: Sendable, Encodable {
      public let table: String
      public let rows: Int64?
    }

    public let id: String
    public let outcome: String
    public let target: String
    public let durationSeconds: Double
    public let phases: VerificationRecord.Phases
    /// Every restored entry (`TABLE shop.orders`, `INDEX shop.orders_note_idx`, …).
    public let restored: [String]
    /// The restored tables and their rows (as counted, equal to the manifest's).
    public let tables: [Table]
    /// Entries left out, and what each needs that was not restored.
    public let leftOut: [String]
    /// Needed objects the target had, used as they were.
    public let reused: [String]
    public let warnings: [String]
    /// The target database did not exist and was made.
    public let created: Bool

    enum CodingKeys: String, CodingKey {
      case id, outcome, target, durationSeconds = "duration_seconds", phases, restored, tables
      case leftOut = "left_out", reused, warnings, created
    }
  }

  /// Restores the planned entries: into the existing target in one transaction (refused
  /// when a restored object exists there), or into a new database swapped in under the
  /// target's name once complete. The row counts are compared before anything commits.
  public func runPartial(
    _ prepared: Prepared, setup: PartialSetup, noOwner: Bool, temporaryDirectory: String = NSTemporaryDirectory()
  ) async throws -> PartialResult {
    let started = ContinuousClock.now
    guard setup.conflicts.isEmpty else {
      throw RestoreError(
        .target,
        "\(setup.conflicts.count) object(s) to restore exist already in database \(prepared.databaseName): "
          + setup.conflicts.prefix(20).joined(separator: ", ") + ". Nothing was changed (restore into another "
          + "database, or beside them with --into-schema NAME)")
    }
    guard noOwner || setup.missingOwners.isEmpty else {
      throw RestoreError(
        .target,
        "the restored objects are owned by \(setup.missingOwners.joined(separator: ", ")), which the target server "
          + "lacks (a partial restore creates no roles): create them, or add --no-owner. Nothing was changed")
    }
    let (counted, uncounted) = SelectedCounts.tables(
      setup.plan, manifest: prepared.manifest, into: setup.request.intoSchema)
    let aside = "dr_aside_" + TargetDatabase.suffix()
    let source = setup.request.intoSchema == nil ? nil : setup.request.sourceSchema
    let script = Restorer.SelectedScript(
      prologue: SelectedCounts.prologue(source: source, aside: aside),
      epilogue: SelectedCounts.epilogue(source: source, into: setup.request.intoSchema, aside: aside, counts: counted))
    var warnings = prepared.warnings + setup.plan.leftOut.map(\.message)
    if !uncounted.isEmpty {
      warnings.append("row counts not compared for \(uncounted.joined(separator: ", ")): the backup has none")
    }
    let timings = try await withListFile(setup.plan, in: temporaryDirectory) { list in
      if setup.targetExists {
        return try await restoreSelected(prepared, into: prepared.target.connectionString.value, list, noOwner, script)
      }
      return try await restoreAsNew(prepared, list: list, noOwner: noOwner, script: script, warnings: &warnings)
    }
    return PartialResult(
      id: prepared.manifest.id.rawValue, outcome: "restored", target: prepared.target.description,
      durationSeconds: (ContinuousClock.now - started).seconds, phases: timings.phases,
      restored: setup.plan.entries.filter { !PartialPlan.settingKinds.contains($0.desc) }.map(\.described),
      tables: counted.map { PartialResult.Table(table: "\($0.schema).\($0.table)", rows: $0.rows) }
        + uncounted.map { PartialResult.Table(table: $0, rows: nil) },
      leftOut: setup.plan.leftOut.map(\.message), reused: setup.plan.reused.map(\.described), warnings: warnings,
      created: !setup.targetExists)
  }

  private func restoreSelected(
    _ prepared: Prepared, into url: String, _ list: String, _ noOwner: Bool, _ script: Restorer.SelectedScript
  ) async throws -> Restorer.Timings {
    let (connection, password) = PostgresURL(url)?.withoutPassword ?? (url, nil)
    return try await restorer(prepared).restoreSelected(
      into: connection, password: password, list: list, noOwner: noOwner, script: script)
  }

  /// A target that does not exist: made beside (with the source's encoding and locale),
  /// restored into, and renamed to the target's name once complete; dropped on failure.
  private func restoreAsNew(
    _ prepared: Prepared, list: String, noOwner: Bool, script: Restorer.SelectedScript, warnings: inout [String]
  ) async throws -> Restorer.Timings {
    let database = prepared.database
    let properties = try RestoredProperties.of(prepared.manifest, key: prepared.key)
    let side = try await database.makeSide(like: properties)
    do {
      warnings += try await own(side, prepared, previousOwner: nil, noOwner: noOwner)
      let url = PostgresURL.replacingDatabase(of: prepared.target.connectionString.value, with: side)
      let timings = try await restoreSelected(prepared, into: url, list, noOwner, script)
      _ = try await database.swap(in: side, comment: properties?.comment)
      return timings
    } catch {
      await Task.detached { [logger] in
        logger.warning("dropping \(side): the restore did not complete; nothing was made")
        try? await database.drop(side)
      }.value
      throw error
    }
  }

  /// The `pg_restore -L` list, in a private directory (0700) that is removed on every path.
  private func withListFile<Result>(
    _ plan: PartialPlan, in directory: String, _ body: (String) async throws -> Result
  ) async throws -> Result {
    var template = Array((directory as NSString).appendingPathComponent("dr-partial-XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw RestoreError(
        .resources, "cannot make a private directory in \(directory): \(String(cString: strerror(errno)))")
    }
    let folder = String(cString: made)
    let path = (folder as NSString).appendingPathComponent("selected.list")
    defer {
      unlink(path)
      rmdir(folder)
    }
    let lines = plan.entries.map { "\($0.id); \($0.described.escapingControlCharacters)\n" }.joined()
    guard
      FileManager.default.createFile(atPath: path, contents: Data(lines.utf8), attributes: [.posixPermissions: 0o600])
    else { throw RestoreError(.resources, "cannot write \(path)") }
    return try await body(path)
  }
}
