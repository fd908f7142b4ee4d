import DRCore
import DRS3
import DRStorage
import Foundation

/// The bucket is the catalogue: backups are found by listing the policy's prefix, and a
/// backup is complete when its manifest is there and was read. No local state.
public struct Catalogue: Sendable {
  public let client: S3Client
  public let bucket: String
  public let layout: BucketLayout

  public init(client: S3Client, bucket: String, layout: BucketLayout) {
    self.client = client
    self.bucket = bucket
    self.layout = layout
  }

  /// The catalogue of `policyName`'s backups in a connected storage.
  public init(storage: Storage, policyName: String) {
    self.init(
      client: storage.client, bucket: storage.bucket,
      layout: BucketLayout(prefix: storage.prefix, policyName: policyName))
  }

  /// Every backup, newest first. Keys that are not dr's (a name that is not a backup ID,
  /// `../` and the like) are ignored. A listing that fails throws: nothing is decided on
  /// half a listing.
  public func entries() async throws -> [BackupEntry] {
    let objects = try await client.listAllObjects(bucket: bucket, prefix: layout.backupsPrefix)
    var byID: [BackupID: [S3Object]] = [:]
    for object in objects {
      guard let id = layout.backupID(ofKey: object.key) else { continue }
      byID[id, default: []].append(object)
    }
    let ids = byID.keys.sorted(by: >)
    let lookups = try await lookUpManifests(
      ids.filter { id in byID[id]!.contains { $0.key == layout.manifestKey(id) } })
    let verifications = try await verificationIndex(latestOnly: true)
    return ids.map { id in
      let lookup = lookups[id] ?? .absent
      let listed = byID[id]!.reduce(0) { $0 + $1.size }
      return entry(id, lookup: lookup, listedSize: listed, verifications: verifications)
    }
  }

  private func entry(
    _ id: BackupID, lookup: ManifestLookup, listedSize: Int64, verifications: VerificationIndex
  ) -> BackupEntry {
    let records = verifications.records[id] ?? []
    // The state is the newest conclusive verification's: an inconclusive one says nothing of
    // the backup.
    let latest = records.first { $0.outcome.isConclusive }
    var verification = latest?.outcome.rawValue ?? "none"
    let unreadable = verifications.unreadable[id]
    if unreadable != nil { verification = "unknown" }
    switch lookup {
    case .found(let manifest):
      var entry = BackupEntry(
        id: id, state: .complete, verification: verification, verificationUnknownReason: unreadable,
        sizeBytes: manifest.objects.reduce(0) { $0 + $1.size }, manifest: manifest, lastVerification: latest)
      entry.lastAttempt = records.first
      return entry
    case .absent:
      return BackupEntry(
        id: id, state: .incomplete, verification: verification, verificationUnknownReason: unreadable,
        sizeBytes: listedSize, manifest: nil, lastVerification: latest)
    case .unknown(let problem):
      return BackupEntry(
        id: id, state: .unknown(problem.reason), verification: verification, verificationUnknownReason: unreadable,
        sizeBytes: listedSize, manifest: nil, lastVerification: latest)
    }
  }

  /// The manifest of one backup; throws when it is missing (`.notFound`) or cannot be
  /// read or used (`.manifestUnreadable`, saying why).
  public func manifest(of id: BackupID) async throws -> BackupManifest {
    switch try await lookUpManifest(of: id) {
    case .found(let manifest): return manifest
    case .absent: throw BackupError(.notFound, "backup \(id) has no manifest: it is incomplete (or does not exist)")
    case .unknown(let problem): throw BackupError(.manifestUnreadable, "the manifest of \(id) \(problem)")
    }
  }

  /// Manifests read 8 at a time.
  private func lookUpManifests(_ ids: [BackupID]) async throws -> [BackupID: ManifestLookup] {
    var result: [BackupID: ManifestLookup] = [:]
    for start in stride(from: 0, to: ids.count, by: 8) {
      try await withThrowingTaskGroup(of: (BackupID, ManifestLookup).self) { group in
        for id in ids[start..<min(start + 8, ids.count)] {
          group.addTask { (id, try await lookUpManifest(of: id)) }
        }
        for try await (id, lookup) in group { result[id] = lookup }
      }
    }
    return result
  }
}
