import DRCore
import DRS3
import Foundation

/// Verification records by backup, and the backups whose records could not be read.
public struct VerificationIndex: Sendable {
  /// Newest first.
  public var records: [BackupID: [VerificationRecord]] = [:]
  /// Backups with a record that is there but could not be read, and why: their
  /// verification state is unknown (they may have failed one).
  public var unreadable: [BackupID: String] = [:]
}

extension Catalogue {
  /// Verification records by backup, newest first; only the newest of each backup when
  /// `latestOnly` (what `dr list` shows). Unreadable records are skipped: use
  /// `verificationIndex` where a decision depends on them.
  public func verifications(latestOnly: Bool) async throws -> [BackupID: [VerificationRecord]] {
    try await verificationIndex(latestOnly: latestOnly).records
  }

  /// Verification records by backup, newest first, and the backups with a record that
  /// could not be read. A record deleted since the listing (404) is skipped. With
  /// `latestOnly`, each backup's records are read newest first until a conclusive one
  /// (passed or failed): an inconclusive verification says nothing of the backup.
  public func verificationIndex(latestOnly: Bool) async throws -> VerificationIndex {
    var index = VerificationIndex()
    let wanted = try await recordKeys()
    let ids = Array(wanted.keys)
    for start in stride(from: 0, to: ids.count, by: 8) {
      try await withThrowingTaskGroup(of: (BackupID, [VerificationRecord], String?).self) { group in
        for id in ids[start..<min(start + 8, ids.count)] {
          group.addTask { try await readRecords(wanted[id]!, of: id, untilConclusive: latestOnly) }
        }
        for try await (id, records, unreadable) in group {
          if !records.isEmpty { index.records[id] = records }
          if let unreadable { index.unreadable[id] = unreadable }
        }
      }
    }
    index.records = index.records.mapValues { $0.sorted { $0.startedAt > $1.startedAt } }
    return index
  }

  /// A backup's records from `keys` (newest first); stops at the first conclusive one when
  /// asked, and at the first that cannot be read (what is older is not looked at then).
  private func readRecords(_ keys: [String], of id: BackupID, untilConclusive: Bool) async throws
    -> (BackupID, [VerificationRecord], String?)
  {
    var records: [VerificationRecord] = []
    for key in keys {
      switch try await readRecord(key, of: id) {
      case .gone: continue
      case .unreadable(let reason): return (id, records, reason)
      case .record(let record):
        records.append(record)
        if untilConclusive, record.outcome.isConclusive { return (id, records, nil) }
      }
    }
    return (id, records, nil)
  }

  private enum RecordRead {
    case record(VerificationRecord)
    case gone
    case unreadable(String)
  }

  /// Every record key of every backup, newest first.
  private func recordKeys() async throws -> [BackupID: [String]] {
    let objects = try await client.listAllObjects(bucket: bucket, prefix: layout.verificationsPrefix)
    var keys: [BackupID: [String]] = [:]
    for object in objects {
      let rest = object.key.dropFirst(layout.verificationsPrefix.count)
      guard let slash = rest.firstIndex(of: "/"), let id = BackupID(String(rest[..<slash])),
        object.key.hasSuffix(".json")
      else { continue }
      keys[id, default: []].append(object.key)
    }
    return keys.mapValues { $0.sorted(by: >) }
  }

  private func readRecord(_ key: String, of id: BackupID) async throws -> RecordRead {
    let bytes: [UInt8]
    do {
      bytes = try await client.getObjectBytes(bucket: bucket, key: key)
    } catch let error as S3Error where Self.isAbsent(error) {
      return .gone
    } catch {
      try Task.checkCancellation()
      return .unreadable("\(key) could not be read: \(error)")
    }
    guard let record = try? BucketJSON.decoder.decode(VerificationRecord.self, from: Data(bytes)) else {
      return .unreadable("\(key) is not a verification record this dr reads")
    }
    guard record.backup == id else { return .unreadable("\(key) names another backup, \(record.backup)") }
    return .record(record)
  }
}

extension Catalogue {
  /// Every verification record of backup `id`, newest first, and why each record that
  /// could not be read was not (a record deleted since the listing is skipped).
  public func verificationRecords(of id: BackupID) async throws -> (records: [VerificationRecord], unreadable: [String])
  {
    let prefix = layout.verificationsPrefix + id.rawValue + "/"
    let keys = try await client.listAllObjects(bucket: bucket, prefix: prefix).map(\.key).filter {
      $0.hasSuffix(".json")
    }
    var records: [VerificationRecord] = []
    var unreadable: [String] = []
    for key in keys.sorted(by: >) {
      switch try await readRecord(key, of: id) {
      case .record(let record): records.append(record)
      case .gone: continue
      case .unreadable(let reason): unreadable.append(reason)
      }
    }
    return (records.sorted { $0.startedAt > $1.startedAt }, unreadable)
  }
}
