import DRCore
import DRS3
import Foundation

/// One backup as the bucket shows it.
public struct BackupEntry: Sendable, Encodable {
  public let id: BackupID
  /// Has a manifest: complete and restorable.
  public let complete: Bool
  /// `passed`, `failed` or `none`.
  public var verification: String
  /// Bytes stored (every object of the backup).
  /// The backup's data (dump and globals, as `dr backup` reports it); for an incomplete
  /// backup, whatever it left in the bucket.
  public let sizeBytes: Int64
  public let manifest: BackupManifest?
  /// The newest verification, if any.
  public var lastVerification: VerificationRecord?

  public var startedAt: Date { manifest?.startedAt ?? id.startedAt }
  public var finishedAt: Date? { manifest?.finishedAt }

  enum CodingKeys: String, CodingKey {
    case id, complete, verification, sizeBytes = "size_bytes", startedAt = "started_at", finishedAt = "finished_at"
    case durationSeconds = "duration_seconds", serverVersion = "server_version"
    case uncompressedBytes = "uncompressed_bytes", restoreSeconds = "restore_seconds", verifiedAt = "verified_at"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(complete, forKey: .complete)
    try container.encode(verification, forKey: .verification)
    try container.encode(sizeBytes, forKey: .sizeBytes)
    try container.encode(
      startedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), forKey: .startedAt)
    try container.encodeIfPresent(
      finishedAt?.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), forKey: .finishedAt)
    try container.encodeIfPresent(manifest?.durationSeconds, forKey: .durationSeconds)
    try container.encodeIfPresent(manifest?.database.serverVersion, forKey: .serverVersion)
    try container.encodeIfPresent(
      manifest?.objects.reduce(0) { $0 + $1.compression.uncompressedSize }, forKey: .uncompressedBytes)
    try container.encodeIfPresent(lastVerification?.restoreSeconds, forKey: .restoreSeconds)
    try container.encodeIfPresent(
      lastVerification?.finishedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
      forKey: .verifiedAt)
  }
}

/// The bucket is the catalogue: backups are found by listing the policy's prefix, and a
/// backup is complete when its manifest is there. No local state.
public struct Catalogue: Sendable {
  public let client: S3Client
  public let bucket: String
  public let layout: BucketLayout

  public init(client: S3Client, bucket: String, layout: BucketLayout) {
    self.client = client
    self.bucket = bucket
    self.layout = layout
  }

  /// Every backup, newest first. Keys that are not dr's (a name that is not a backup ID,
  /// `../` and the like) are ignored.
  public func entries() async throws -> [BackupEntry] {
    let objects = try await client.listAllObjects(bucket: bucket, prefix: layout.backupsPrefix)
    var byID: [BackupID: [S3Object]] = [:]
    for object in objects {
      guard let id = layout.backupID(ofKey: object.key) else { continue }
      byID[id, default: []].append(object)
    }
    let ids = byID.keys.sorted(by: >)
    let manifests = try await readManifests(
      ids.filter { id in byID[id]!.contains { $0.key == layout.manifestKey(id) } })
    let verifications = try await verifications(latestOnly: true)
    return ids.map { id in
      let manifest = manifests[id]
      let latest = verifications[id]?.first
      return BackupEntry(
        id: id, complete: manifest != nil, verification: latest?.outcome.rawValue ?? "none",
        sizeBytes: manifest?.objects.reduce(0) { $0 + $1.size } ?? byID[id]!.reduce(0) { $0 + $1.size },
        manifest: manifest, lastVerification: latest)
    }
  }

  /// The manifest of one backup; throws when it is missing or unreadable.
  public func manifest(of id: BackupID) async throws -> BackupManifest {
    let bytes: [UInt8]
    do {
      bytes = try await client.getObjectBytes(bucket: bucket, key: layout.manifestKey(id))
    } catch let error as S3Error where error.status == 404 {
      throw BackupError(.notFound, "backup \(id) has no manifest: it is incomplete (or does not exist)")
    }
    do {
      let manifest = try BucketJSON.decoder.decode(BackupManifest.self, from: Data(bytes))
      // The manifest is read from a bucket others may write to: the keys it names must be
      // this backup's, plain (no `..` segment, no control character), or it is not used.
      let inside = manifest.objects.allSatisfy {
        $0.key.hasPrefix(layout.backupPrefix(id)) && !$0.key.split(separator: "/").contains("..")
          && $0.key.escapingControlCharacters == $0.key && $0.key.utf8.count <= 1024
      }
      guard manifest.id == id, inside else {
        throw BackupError(.manifestUnreadable, "the manifest of \(id) names objects outside the backup")
      }
      return manifest
    } catch let error as BackupError {
      throw error
    } catch {
      throw BackupError(.manifestUnreadable, "the manifest of \(id) cannot be read: \(error)")
    }
  }

  /// Manifests read 8 at a time; an unreadable one makes its backup count as incomplete.
  private func readManifests(_ ids: [BackupID]) async throws -> [BackupID: BackupManifest] {
    var result: [BackupID: BackupManifest] = [:]
    for start in stride(from: 0, to: ids.count, by: 8) {
      try await withThrowingTaskGroup(of: (BackupID, BackupManifest?).self) { group in
        for id in ids[start..<min(start + 8, ids.count)] {
          group.addTask { (id, try? await manifest(of: id)) }
        }
        for try await (id, manifest) in group { result[id] = manifest }
      }
    }
    return result
  }
}
