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
  /// could not be read. A record deleted since the listing (404) is skipped.
  public func verificationIndex(latestOnly: Bool) async throws -> VerificationIndex {
    var index = VerificationIndex()
    let wanted = try await recordKeys(latestOnly: latestOnly)
    for start in stride(from: 0, to: wanted.count, by: 8) {
      try await withThrowingTaskGroup(of: (BackupID, RecordRead).self) { group in
        for (id, key) in wanted[start..<min(start + 8, wanted.count)] {
          group.addTask { (id, try await readRecord(key, of: id)) }
        }
        for try await (id, read) in group {
          switch read {
          case .record(let record): index.records[id, default: []].append(record)
          case .gone: break
          case .unreadable(let reason): index.unreadable[id] = reason
          }
        }
      }
    }
    index.records = index.records.mapValues { $0.sorted { $0.startedAt > $1.startedAt } }
    return index
  }

  private enum RecordRead {
    case record(VerificationRecord)
    case gone
    case unreadable(String)
  }

  /// The record keys to read: each backup's newest only, or all.
  private func recordKeys(latestOnly: Bool) async throws -> [(BackupID, String)] {
    let objects = try await client.listAllObjects(bucket: bucket, prefix: layout.verificationsPrefix)
    var keys: [BackupID: [String]] = [:]
    for object in objects {
      let rest = object.key.dropFirst(layout.verificationsPrefix.count)
      guard let slash = rest.firstIndex(of: "/"), let id = BackupID(String(rest[..<slash])),
        object.key.hasSuffix(".json")
      else { continue }
      keys[id, default: []].append(object.key)
    }
    return keys.flatMap { id, list in
      let sorted = list.sorted(by: >)
      return (latestOnly ? Array(sorted.prefix(1)) : sorted).map { (id, $0) }
    }
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
