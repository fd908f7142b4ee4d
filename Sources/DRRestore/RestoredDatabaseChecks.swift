import DRBackup
import DRPolicy
import DRPostgres
import Foundation

/// What a verification checks in the restored database: every table's row count against
/// the manifest (a table missing is a failure), then the policy's SQL checks (each must
/// return a single true).
public enum RestoredDatabaseChecks {
  public static func compareCounts(_ manifest: BackupManifest, in connection: PGConnection) async throws
    -> [VerificationRecord.Failure]
  {
    var failures: [VerificationRecord.Failure] = []
    for table in manifest.rowCounts.tables {
      let name = "\(SQL.identifier(table.schema)).\(SQL.identifier(table.table))"
      let subject = "\(table.schema).\(table.table)"
      do {
        let rows = try await connection.query("SELECT count(*) FROM \(table.partitioned ? "" : "ONLY") \(name)")
        let count = Int64(rows.first?.first.flatMap { $0 } ?? "") ?? -1
        if count != table.rows {
          failures.append(
            .init(kind: "row_count", subject: subject, detail: "\(table.rows) rows in the manifest, \(count) restored"))
        }
      } catch {
        failures.append(.init(kind: "missing_table", subject: subject, detail: "not restored: \(error)"))
      }
    }
    return failures
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
