import DRBackup
import DRCore
import DRPostgres
import DRRestore
import DRStorage
import Foundation

extension JujuDriver {
  /// Downloads the dump to `commands.dumpFile`, runs the restore's commands, compares the
  /// row counts with the manifest's. The local file is removed on every path.
  func restore(_ step: PlanStep, _ invocations: [JujuInvocation]) async throws -> String {
    guard let database = commands.database, !invocations.isEmpty else {
      throw FailoverError(.noBackup, "no backup to restore")
    }
    let path = commands.dumpFile
    unlink(path)
    defer { unlink(path) }
    try await fetchDump(path)
    let outputs = try await run(invocations, step: step)
    guard let counted = zip(invocations, outputs).first(where: { $0.0.role == .rowCounts })?.1 else {
      return "restored \(database) in model \(commands.model)"
    }
    let counts = Self.parseCounts(counted.standardOutput)
    guard let expectedCounts else {
      return "restored \(database) in model \(commands.model): \(counts.count) tables counted (no manifest to compare)"
    }
    let failures = Self.compare(expected: expectedCounts, found: counts)
    guard failures.isEmpty else {
      throw FailoverError(
        .step(step.name),
        "the restored database does not match the manifest: " + failures.prefix(5).joined(separator: "; ")
          + (failures.count > 5 ? "; and \(failures.count - 5) more" : ""))
    }
    return "restored \(database) in model \(commands.model): \(counts.count) tables, row counts match the manifest"
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
