import DRBackup
import DRCore
import DRPostgres
import DRRestore
import DRStorage
import Foundation
import Logging

extension JujuDriver {
  /// Probes the database and applies `RestoreRule`: absent or empty, downloads the dump
  /// to `commands.dumpFile`, runs the restore's commands (`createdb` only when absent),
  /// compares the row counts with the manifest's, then marks the database; holding this
  /// backup, does nothing; anything else, or a probe that fails, stops the step with
  /// nothing dropped. The local file is removed on every path.
  func restore(_ step: PlanStep, _ invocations: [JujuInvocation]) async throws -> String {
    guard let database = commands.database, let backup = commands.backup,
      let probe = invocations.first(where: { $0.role == .probe }),
      let marking = invocations.firstIndex(where: { $0.role == .mark })
    else {
      throw FailoverError(.noBackup, "no backup to restore")
    }
    let rule = RestoreRule(
      database: database, backup: backup, environment: commands.environment ?? "NAME",
      platform: .juju(model: commands.model))
    let contents = try await self.probe(probe, rule)
    let decision = rule.decide(contents)
    switch decision {
    case .refuse: throw rule.refusal(contents)
    case .alreadyRestored:
      return "\(backup) already restored in \(database), model \(commands.model) (it holds \(contents.summary))"
    case .create, .fill: break
    }
    let path = commands.dumpFile
    unlink(path)
    defer { unlink(path) }
    try await fetchDump(path)
    let restoring = invocations[..<marking].filter {
      $0.role != .probe && ($0.role != .createDatabase || decision == .create)
    }
    let outputs = try await run(Array(restoring), step: step)
    guard let counted = zip(restoring, outputs).first(where: { $0.0.role == .rowCounts })?.1 else {
      return "restored \(database) in model \(commands.model)"
    }
    let counts = Self.parseCounts(counted.standardOutput)
    guard let expectedCounts else {
      return "restored \(database) in model \(commands.model): \(counts.count) tables counted (no manifest to compare, "
        + "so not marked as dr's restore)"
    }
    let failures = Self.compare(expected: expectedCounts, found: counts)
    guard failures.isEmpty else {
      // The copy of the dump on the unit goes all the same (the commands after the marker).
      _ = try? await run(Array(invocations[(marking + 1)...]), step: step)
      throw FailoverError(
        .step(step.name),
        "the restored database does not match the manifest: " + failures.prefix(5).joined(separator: "; ")
          + (failures.count > 5 ? "; and \(failures.count - 5) more" : "")
          + ". Database \(database) is left as it is, without dr's marker: " + rule.startOver)
    }
    _ = try await run(Array(invocations[marking...]), step: step)
    return "restored \(database) in model \(commands.model): \(counts.count) tables, row counts match the manifest"
  }

  /// Runs the probe: psql's "database … does not exist" is `absent`; its `dr-probe` line
  /// the contents; anything else (juju or ssh failing, another error, an answer dr cannot
  /// read) is uncertainty, and the step stops.
  func probe(_ invocation: JujuInvocation, _ rule: RestoreRule) async throws -> DatabaseContents {
    let juju = try locateJuju()
    logger.info("$ \(invocation.display)")
    let output: ProcessRunner.Output
    do {
      output = try await ProcessRunner.run(juju, invocation.arguments, environment: environment)
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw rule.uncertainty("the probe could not run: \(error)")
    }
    guard output.status == 0 else {
      if output.standardError.contains("database \"\(rule.database)\" does not exist") { return .absent }
      let stderr = Self.lastLines(output.standardError)
      throw rule.uncertainty(
        "the probe failed with exit status \(output.status)" + (stderr.isEmpty ? "" : ": \(stderr)"))
    }
    guard let contents = DatabaseContents(psqlOutput: output.standardOutput) else {
      let answer = Self.lastLines(output.standardOutput)
      throw rule.uncertainty("the probe answered what dr cannot read: '\(answer.prefix(160))'")
    }
    return contents
  }

  /// `schema|table|rows` lines (`psql -At`), by `schema|table` (a name holding `|` is not
  /// read, and is reported missing).
  static func parseCounts(_ output: String) -> [String: Int64] {
    var counts: [String: Int64] = [:]
    for line in output.split(separator: "\n") {
      let fields = line.split(separator: "|", omittingEmptySubsequences: false)
      guard fields.count == 3, let rows = Int64(fields[2].trimmingCharacters(in: .whitespaces)) else { continue }
      counts["\(fields[0])|\(fields[1])"] = rows
    }
    return counts
  }

  /// What differs: every table of the manifest must be there with its rows. Partitioned
  /// parents are skipped (their partitions, counted alone, are checked).
  static func compare(expected: [TableRowCount], found: [String: Int64]) -> [String] {
    expected.filter { !$0.partitioned }.compactMap { table in
      let name = "\(table.schema).\(table.table)"
      guard let rows = found["\(table.schema)|\(table.table)"] else { return "\(name) is missing" }
      return rows == table.rows ? nil : "\(name) has \(rows) rows, the manifest says \(table.rows)"
    }
  }

  /// Writes the dump object of `manifest` to a new file (mode 0600), checked against its
  /// SHA-256 and size, decrypted and decompressed on the way.
  static func dumpFetch(storage: Storage, manifest: BackupManifest, keys: KeyRing) -> DumpFetch {
    { path in
      guard let object = manifest.object(.dump) else { throw RestoreError(.corrupt, "the manifest lists no dump") }
      let key = try await keys.unlock(manifest)
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      guard fd >= 0 else {
        throw FailoverError(.driver, "cannot create \(path): \(String(cString: strerror(errno)))")
      }
      defer { close(fd) }
      let writer = FileDescriptorWriter(fd: fd)
      _ = try await ObjectFetcher(client: storage.client, bucket: storage.bucket, key: key).fetch(object) {
        try await writer.write($0)
      }
    }
  }
}
