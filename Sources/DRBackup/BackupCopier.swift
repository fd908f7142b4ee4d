import DRCore
import DRS3
import DRStorage
import Foundation
import Logging

/// Copies complete backups from one storage to another as they are stored: compressed
/// (and encrypted) bytes streamed from ranged downloads into a multipart upload, each
/// object's SHA-256 checked against the manifest on the way, the manifest written last
/// so a copy is listed only once it is whole. Each storage is used with its own
/// credentials. A copy that fails removes what it wrote.
public struct BackupCopier: Sendable {
  public let source: Storage
  public let destination: Storage
  public let policyName: String
  let logger: Logger

  public init(source: Storage, destination: Storage, policyName: String, logger: Logger = Logger(label: "dr.copy")) {
    self.source = source
    self.destination = destination
    self.policyName = policyName
    self.logger = logger
  }

  var sourceCatalogue: Catalogue {
    Catalogue(storage: source, policyName: policyName)
  }

  var destinationCatalogue: Catalogue {
    Catalogue(storage: destination, policyName: policyName)
  }

  /// What `missing` found: the backups to copy, and those it cannot tell about.
  public struct Missing: Sendable {
    /// Complete backups of the source whose copy is missing (or incomplete), oldest first.
    public var ids: [BackupID]
    /// Backups left alone because a manifest (the source's or the destination's) could not
    /// be read: copying over an unreadable copy could overwrite a good one.
    public var unknown: [(id: BackupID, reason: String)]
  }

  /// Complete backups of the source whose copy is missing (or incomplete), oldest first,
  /// and the ones left alone because a manifest on either side could not be read.
  public func missing() async throws -> Missing {
    let there = try await destinationCatalogue.entries()
    let copied = Set(there.filter(\.complete).map(\.id))
    let unsure = Dictionary(there.compactMap { entry in entry.state.unknownReason.map { (entry.id, $0) } }) { a, _ in a
    }
    let source = try await sourceCatalogue.entries()
    var result = Missing(ids: [], unknown: [])
    for entry in source.reversed() {
      if let reason = entry.state.unknownReason {
        result.unknown.append((entry.id, "its manifest in the source \(reason)"))
      } else if entry.complete, !copied.contains(entry.id) {
        if let reason = unsure[entry.id] {
          result.unknown.append((entry.id, "its manifest in the destination \(reason); not copied over it"))
        } else {
          result.ids.append(entry.id)
        }
      }
    }
    return result
  }

  /// Copies backup `id`; returns the bytes copied (0 when the copy was already complete).
  @discardableResult
  public func copy(_ id: BackupID) async throws -> Int64 {
    let manifest = try await sourceCatalogue.manifest(of: id)
    switch try await destinationCatalogue.lookUpManifest(of: id) {
    case .found: return 0
    case .absent: break
    case .unknown(let problem):
      // It may be a complete copy: writing over it (and removing what was written if the
      // copy then failed) could destroy it.
      throw BackupError(
        .manifestUnreadable, "the destination's manifest of \(id) \(problem); not copied over it")
    }
    let layout = destinationCatalogue.layout
    var copied = manifest
    do {
      for (index, object) in manifest.objects.enumerated() {
        let name = String(object.key.dropFirst(sourceCatalogue.layout.backupPrefix(id).count))
        let result = try await copyObject(object, to: layout.backupPrefix(id) + name)
        copied.objects[index].key = result.key
        copied.objects[index].etag = result.etag
        copied.objects[index].parts = result.parts
      }
      try await copyVerifications(of: id)
      let body = Array(try BucketJSON.encoder.encode(copied))
      try await destination.client.putObject(
        bucket: destination.bucket, key: layout.manifestKey(id), body: body,
        options: destination.manifestOptions)
      return manifest.objects.reduce(0) { $0 + $1.size }
    } catch {
      await Task.detached { [destination, policyName] in
        await BackupRunner.removeLeftovers(of: id, in: destination, policy: policyName)
      }.value
      throw error
    }
  }

  private func copyObject(_ object: BackupManifest.Object, to key: String) async throws -> UploadResult {
    let uploader = MultipartUploader(
      client: destination.client, bucket: destination.bucket, key: key,
      plan: UploadPlan.forExpectedSize(object.size), options: destination.putOptions)
    do {
      try await ParallelDownloader(client: source.client).download(bucket: source.bucket, key: object.key) {
        let bytes = copy $0
        try await uploader.write(bytes)
      }
      let result = try await uploader.finish()
      guard result.sha256 == object.sha256, result.size == object.size else {
        throw BackupError(
          .invalid,
          "\(object.key) does not match its manifest (SHA-256 \(result.sha256 ?? "?"), \(result.size) bytes; "
            + "the manifest says \(object.sha256), \(object.size) bytes): not copied")
      }
      return result
    } catch {
      await uploader.abort()
      throw error
    }
  }

  /// Copies the verification records the destination lacks, for the backups both hold
  /// (a backup verified after it was copied); returns how many.
  public func syncVerifications() async throws -> Int {
    let from = sourceCatalogue.layout.verificationsPrefix
    let to = destinationCatalogue.layout.verificationsPrefix
    let copied = Set(try await destinationCatalogue.entries().filter(\.complete).map(\.id.rawValue))
    let present = Set(
      try await destination.client.listAllObjects(bucket: destination.bucket, prefix: to).map {
        String($0.key.dropFirst(to.count))
      })
    var count = 0
    for object in try await source.client.listAllObjects(bucket: source.bucket, prefix: from) {
      let name = String(object.key.dropFirst(from.count))
      guard let id = name.split(separator: "/").first, copied.contains(String(id)), !present.contains(name) else {
        continue
      }
      let bytes = try await source.client.getObjectBytes(bucket: source.bucket, key: object.key)
      try await destination.client.putObject(
        bucket: destination.bucket, key: to + name, body: bytes, options: S3PutOptions(contentType: "application/json"))
      count += 1
    }
    return count
  }

  /// The backup's verification records go along, so the copy shows what was proven.
  private func copyVerifications(of id: BackupID) async throws {
    let from = sourceCatalogue.layout.verificationsPrefix + id.rawValue + "/"
    let to = destinationCatalogue.layout.verificationsPrefix + id.rawValue + "/"
    for object in try await source.client.listAllObjects(bucket: source.bucket, prefix: from) {
      let bytes = try await source.client.getObjectBytes(bucket: source.bucket, key: object.key)
      try await destination.client.putObject(
        bucket: destination.bucket, key: to + object.key.dropFirst(from.count), body: bytes,
        options: S3PutOptions(contentType: "application/json"))
    }
  }
}
