import DRBackup
import DRCore
import Foundation

extension BackupDetails {
  /// `dr show` for people: the backup, each database with its tables, the objects, the
  /// copies and the verifications, one line each.
  public var lines: [String] {
    var lines = summaryLines
    for database in databases { lines += [""] + Self.lines(of: database) }
    lines += ["", "objects"] + objectLines
    if !copies.isEmpty {
      lines += ["", "copies"]
      lines += copies.map { "  \($0.destination): \($0.state)\($0.reason.map { " (\($0))" } ?? "")" }
    }
    lines +=
      verifications.isEmpty
      ? ["", "verifications: none"] : ["", "verifications (\(verification))"] + verifications.flatMap(Self.lines(of:))
    lines += warnings.map { "warning: \($0)" }
    return lines
  }

  /// One line per object, its name and size in aligned columns.
  private var objectLines: [String] {
    let names = objects.map { Self.name(of: $0.key) }
    let sizes = objects.map { ByteCount.format($0.sizeBytes) }
    let (nameWidth, sizeWidth) = (names.map(\.count).max() ?? 0, sizes.map(\.count).max() ?? 0)
    return zip(objects, zip(names, sizes)).map { object, column in
      let size = String(repeating: " ", count: sizeWidth - column.1.count) + column.1
      return "  \(column.0.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(size)  "
        + "\(object.codec)\(object.codec == "none" ? "" : " level \(object.level)")"
        + " of \(ByteCount.format(object.uncompressedBytes))\(object.encrypted ? ", encrypted" : "")"
        + "  sha256 \(object.sha256)"
    }
  }

  private var summaryLines: [String] {
    [
      "backup \(id) of policy \(policy)",
      "  started      \(Self.time(startedAt)) UTC, took \(String(format: "%.1f", durationSeconds)) s",
      "  server       PostgreSQL \(server.version) on \(server.hosts), as \(server.user)",
      "  pg_dump      \(pgDump.version) (\(pgDump.path)), dump of PostgreSQL \(pgDump.majorVersion)",
      "  made by      dr \(drVersion), manifest format \(formatVersion)",
      "  size         \(ByteCount.format(sizeBytes)) stored, \(ByteCount.format(uncompressedBytes)) uncompressed",
      "  encryption   "
        + (encryption.map { "\($0.scheme), key ID \($0.keyID)\($0.kdf.map { " (from a passphrase, \($0))" } ?? "")" }
          ?? "none"),
      "  globals      "
        + (globals
          ? "roles and tablespaces\(globalsRolePasswords ? ", with role passwords" : ", without role passwords")"
          : "not included"),
      "  databases    \(databases.map(\.name).joined(separator: ", "))",
    ]
  }

  static func lines(of database: Database) -> [String] {
    var head = "database \(database.name)"
    var facts = [ByteCount.format(database.sizeBytes), count(database.tables.count, "table")]
    if let owner = database.owner { facts.insert("owner \(owner)", at: 0) }
    if database.rowCounts != "exact" { facts.append("row counts \(database.rowCounts)") }
    head += " (\(facts.joined(separator: ", ")))"
    let width = min(60, database.tables.map { "\($0.schema).\($0.table)".count }.max() ?? 0)
    return [head]
      + database.tables.map { table in
        let name = "\(table.schema).\(table.table)"
        return "  " + name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0)
          + "  \(table.rows) rows\(table.partitioned ? " (partitioned, all partitions)" : "")"
      }
  }

  static func lines(of verification: Verification) -> [String] {
    let phases = verification.phases
    let head =
      "  \(time(verification.startedAt)) UTC  \(verification.outcome)  "
      + String(
        format: "%.1f s (restore %.1f s)", verification.durationSeconds,
        phases.download + phases.decompress + phases.restore)
      + ", \(verification.scratch)"
      + (verification.restoredInto.isEmpty ? "" : ", PostgreSQL \(verification.restoredInto)")
      + ", \(count(verification.tablesCompared, "table")), \(count(verification.checksRun, "check"))"
    return [head]
      + verification.failures.map { failure in
        "    \(failure.kind) \(failure.database.map { "\($0): " } ?? "")\(failure.subject): \(failure.detail)"
      }
  }

  /// `1 table`, `3 tables`.
  static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

  static func time(_ date: Date) -> String {
    date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false))
  }

  static func name(of key: String) -> String {
    String(key.split(separator: "/").last ?? Substring(key))
  }
}
