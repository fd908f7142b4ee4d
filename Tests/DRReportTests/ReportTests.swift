import DRReport
import Foundation
import Testing

@testable import DRBackup

/// `dr report`'s data and renderers. Every suite extends this namespace; the fixtures
/// below are one policy's week, with the report made on 2026-11-25 at 12:00 UTC.
enum ReportTests {
  static let now = date("2026-11-25 12:00")
  static let gib: Int64 = 1_073_741_824
  static let hostileDetail = "ERROR: <script>alert(1)</script> & \"quoted\" | piped"

  /// `2026-11-24 22:19` in UTC.
  static func date(_ text: String) -> Date {
    let digits = text.filter(\.isNumber).map { Int(String($0)) ?? 0 }
    func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
    let parts = DateComponents(
      calendar: .utc, timeZone: TimeZone(identifier: "UTC"), year: number(0..<4), month: number(4..<6),
      day: number(6..<8), hour: number(8..<10), minute: number(10..<12))
    return parts.date ?? Date(timeIntervalSince1970: 0)
  }

  static func id(_ when: String) -> BackupID { BackupID.new(at: date(when), suffix: 0xa1) }

  static func manifest(_ id: BackupID, uncompressed: Int64) -> BackupManifest {
    let compression = BackupManifest.Compression(
      codec: "bzip2", level: 6, chunkSize: 1 << 20, uncompressedSize: uncompressed, streamLengths: [])
    return BackupManifest(
      formatVersion: 1, id: id, policy: "orders", tool: .init(name: "dr", version: "0.1.0"),
      database: .init(
        name: "orders", user: "dr", hosts: "db", serverVersion: "17.2", serverVersionNum: 170_002, sizeBytes: 0),
      pgDump: .init(path: "/usr/bin/pg_dump", version: "17.2"), startedAt: id.startedAt,
      finishedAt: id.startedAt.addingTimeInterval(1_200),
      objects: [
        .init(
          role: .dump, key: "k", size: 0, sha256: "", etag: "", parts: 1, partSize: 0, compression: compression)
      ],
      encryption: nil, globals: .init(included: true, rolePasswords: true), rowCounts: .init(mode: "exact", tables: []))
  }

  static func backup(_ when: String, size: Int64, complete: Bool = true) -> ReportBackupInput {
    let id = id(when)
    return ReportBackupInput(
      id: id, complete: complete, manifest: complete ? manifest(id, uncompressed: size * 4) : nil, sizeBytes: size)
  }

  static func record(
    _ backup: String, at when: String, passed: Bool, restore: Double = 600,
    failures: [VerificationRecord.Failure] = []
  ) -> VerificationRecord {
    let start = date(when)
    let phases = VerificationRecord.Phases(download: 60, decompress: 30, restore: restore - 90, checks: 20)
    return VerificationRecord(
      formatVersion: 1, backup: id(backup), policy: "orders", startedAt: start,
      finishedAt: start.addingTimeInterval(restore + 20), outcome: passed ? .passed : .failed, phases: phases,
      failures: failures, scratch: "local", restoredInto: "17.2", tablesCompared: 12, checksRun: 2,
      downloadedBytes: 1_000, restoredBytes: 4_000, toolVersion: "0.1.0")
  }

  /// Six backups, in no order: passed; failed; failed then passed; passed then failed
  /// (without a reason); not verified; incomplete. One record is of a pruned backup.
  static let backups = [
    backup("2026-11-22 02:00", size: gib + gib / 10),
    backup("2026-11-20 02:00", size: gib),
    backup("2026-11-25 02:00", size: gib / 3, complete: false),
    backup("2026-11-21 02:00", size: gib + gib / 20),
    backup("2026-11-24 02:00", size: gib + gib / 5),
    backup("2026-11-23 02:00", size: gib + gib / 8),
  ]

  static let records = [
    record("2026-11-20 02:00", at: "2026-11-20 06:00", passed: true, restore: 600),
    record(
      "2026-11-21 02:00", at: "2026-11-21 06:00", passed: false, restore: 300,
      failures: [
        .init(kind: "row_count", subject: "sales.orders", detail: "2000 rows in the manifest, 1999 restored"),
        .init(kind: "check", subject: "orders_total", detail: hostileDetail),
      ]),
    record("2026-11-22 02:00", at: "2026-11-23 08:00", passed: true, restore: 660),
    record(
      "2026-11-22 02:00", at: "2026-11-22 06:00", passed: false, restore: 100,
      failures: [.init(kind: "restore", subject: "pg_restore", detail: "exit status 1")]),
    record("2026-11-23 02:00", at: "2026-11-23 06:00", passed: true, restore: 720),
    record("2026-11-23 02:00", at: "2026-11-24 06:00", passed: false, restore: 700),
    record("2026-11-10 02:00", at: "2026-11-10 06:00", passed: true),
  ]

  static func report(maxAge: TimeInterval? = 26 * 3_600, since: String? = nil, drills: [ReportDrill] = [])
    -> ReportData
  {
    ReportData(
      policy: "orders", backups: backups, records: records, maxAge: maxAge, since: since.map(date), drills: drills,
      now: now)
  }

  static let empty = ReportData(policy: "orders", backups: [], records: [], maxAge: 26 * 3_600, now: now)

  static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
