import DRS3
import Foundation

extension Catalogue {
  /// Verification records by backup, newest first; only the newest of each backup when
  /// `latestOnly` (what `dr list` shows). Unreadable records are skipped.
  public func verifications(latestOnly: Bool) async throws -> [BackupID: [VerificationRecord]] {
    let objects = try await client.listAllObjects(bucket: bucket, prefix: layout.verificationsPrefix)
    var keys: [BackupID: [String]] = [:]
    for object in objects {
      let rest = object.key.dropFirst(layout.verificationsPrefix.count)
      guard let slash = rest.firstIndex(of: "/"), let id = BackupID(String(rest[..<slash])),
        object.key.hasSuffix(".json")
      else { continue }
      keys[id, default: []].append(object.key)
    }
    var wanted: [(BackupID, String)] = []
    for (id, list) in keys {
      let sorted = list.sorted(by: >)
      wanted += (latestOnly ? Array(sorted.prefix(1)) : sorted).map { (id, $0) }
    }
    var result: [BackupID: [VerificationRecord]] = [:]
    for start in stride(from: 0, to: wanted.count, by: 8) {
      try await withThrowingTaskGroup(of: (BackupID, VerificationRecord?).self) { group in
        for (id, key) in wanted[start..<min(start + 8, wanted.count)] {
          group.addTask {
            let bytes = try? await client.getObjectBytes(bucket: bucket, key: key)
            return (id, bytes.flatMap { try? BucketJSON.decoder.decode(VerificationRecord.self, from: Data($0)) })
          }
        }
        for try await (id, record) in group where record?.backup == id {
          result[id, default: []].append(record!)
        }
      }
    }
    return result.mapValues { $0.sorted { $0.startedAt > $1.startedAt } }
  }
}
