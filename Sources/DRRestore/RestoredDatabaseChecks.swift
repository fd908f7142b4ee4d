import DRBackup
import DRPolicy
import DRPostgres
import Foundation

/// What a verification checks in the restored database: every table's row count against
/// the manifest (a table missing is a failure), then the policy's SQL checks (each must
/// return a single true).
public enum RestoredDatabaseChecks {
  /// What comparing the counts found: what differs, and facts worth keeping.
  public struct CountComparison: Sendable {
    public var failures: [VerificationRecord.Failure] = []
    public var notes: [String] = []
  }

  /// Every table's rows against the manifest. A partition tree is compared at its root:
  /// pg_dump may load a partitioned table through its root (`--load-via-partition-root`, or
  /// on its own for hash partitioning whose hash depends on OIDs, as on an enum), and then
  /// the leaves can hold other counts while the table is whole; a leaf that differs is
  /// noted, not failed. Everything else is compared exactly; a table missing fails.
  public static func compareCounts(_ manifest: BackupManifest, in connection: PGConnection) async throws
    -> CountComparison
  {
    var result = CountComparison()
    let leaves = try await partitionLeaves(in: connection)
    for table in manifest.rowCounts.tables {
      let name = "\(SQL.identifier(table.schema)).\(SQL.identifier(table.table))"
      let subject = "\(table.schema).\(table.table)"
      do {
        let rows = try await connection.query("SELECT count(*) FROM \(table.partitioned ? "" : "ONLY") \(name)")
        let count = Int64(rows.first?.first.flatMap { $0 } ?? "") ?? -1
        guard count != table.rows else { continue }
        if leaves.contains(subject) {
          result.notes.append(
            "partition \(subject): \(table.rows) rows in the source, \(count) restored (its tree is compared at its root)"
          )
        } else {
          result.failures.append(
            .init(kind: "row_count", subject: subject, detail: "\(table.rows) rows in the manifest, \(count) restored"))
        }
      } catch {
        result.failures.append(.init(kind: "missing_table", subject: subject, detail: "not restored: \(error)"))
      }
    }
    return result
  }

  /// Tables of the restored database that are partitions of another (`schema.table`).
  static func partitionLeaves(in connection: PGConnection) async throws -> Set<String> {
    let rows = try await connection.query(
      "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE c.relispartition")
    return Set(rows.compactMap { $0.first ?? nil })
  }

  public static func runChecks(_ checks: [VerifySettings.Check], in connection: PGConnection) async
    -> [VerificationRecord.Failure]
  {
    var failures: [VerificationRecord.Failure] = []
    for check in checks {
      do {
        let rows = try await connection.query(check.sql)
        guard rows.count == 1, rows[0].count == 1, rows[0][0] == "t" else {
          let got = rows.prefix(3).map { row in "(" + row.map { $0 ?? "NULL" }.joined(separator: ", ") + ")" }
          failures.append(
            .init(
              kind: "check", subject: check.name,
              detail: "expected a single true, got \(rows.isEmpty ? "no rows" : got.joined(separator: " "))"
                + (rows.count > 3 ? " … (\(rows.count) rows)" : "")))
          continue
        }
      } catch {
        failures.append(.init(kind: "check", subject: check.name, detail: "\(error)"))
      }
    }
    return failures
  }
}
