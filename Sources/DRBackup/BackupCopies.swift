import DRCore
import DRPolicy
import DRS3
import DRStorage
import Foundation

/// A storage a backup is also written to in its own pass (`storage.copies`, or an
/// environment with storage of its own), with its own credentials.
public struct BackupCopyTarget: Sendable {
  public let name: String
  public let storage: Storage

  public init(name: String, storage: Storage) {
    self.name = name
    self.storage = storage
  }
}

/// How one copy of a backup ended: `complete` (its manifest is written) or `failed`.
public struct BackupCopyOutcome: Sendable, Codable, Equatable {
  public let destination: String
  public let outcome: String
  public let reason: String?

  public init(destination: String, outcome: String, reason: String?) {
    self.destination = destination
    self.outcome = outcome
    self.reason = reason
  }
}

/// What each copy of a running backup has so far: its objects, or why it failed. A failed
/// copy gets nothing more; the primary goes on.
actor BackupCopies {
  let targets: [BackupCopyTarget]
  private(set) var objects: [String: [BackupManifest.Object]] = [:]
  private(set) var failures: [String: String] = [:]

  init(targets: [BackupCopyTarget]) {
    self.targets = targets
  }

  /// The copies still written to.
  var live: [BackupCopyTarget] { targets.filter { failures[$0.name] == nil } }

  func add(_ name: String, _ object: BackupManifest.Object) { objects[name, default: []].append(object) }

  func fail(_ name: String, _ reason: String) {
    if failures[name] == nil { failures[name] = reason }
  }

  func outcomes() -> [BackupCopyOutcome] {
    targets.map { target in
      failures[target.name].map { BackupCopyOutcome(destination: target.name, outcome: "failed", reason: $0) }
        ?? BackupCopyOutcome(destination: target.name, outcome: "complete", reason: nil)
    }
  }
}

extension BackupRunner {
  /// The fan-out of one object: the primary at `key`, each live copy at its own layout's
  /// key for the same file name.
  func fanOut(
    id: BackupID, key: String, plan: UploadPlan, copies: BackupCopies, progress: (@Sendable (Int64) -> Void)? = nil
  ) async -> FanOutUploader {
    let name = String(key.dropFirst(layout.backupPrefix(id).count))
    var destinations = [
      FanOutUploader.Destination(
        name: "",
        uploader: MultipartUploader(
          client: storage.client, bucket: storage.bucket, key: key, plan: plan, options: storage.putOptions,
          progress: progress))
    ]
    for target in await copies.live {
      let copyKey = BucketLayout(prefix: target.storage.prefix, policyName: policy.name).backupPrefix(id) + name
      destinations.append(
        .init(
          name: target.name,
          uploader: MultipartUploader(
            client: target.storage.client, bucket: target.storage.bucket, key: copyKey, plan: plan,
            options: target.storage.putOptions)))
    }
    return FanOutUploader(destinations)
  }

  /// The primary's upload; each copy's object recorded, or its failure.
  func settle(
    _ outcomes: [String: FanOutUploader.Outcome], copies: BackupCopies,
    object: (UploadResult) -> BackupManifest.Object
  ) async throws -> BackupManifest.Object {
    guard case .uploaded(let primary)? = outcomes[""] else {
      throw BackupError(.invalid, "the upload ended without a result")
    }
    for target in copies.targets {
      switch outcomes[target.name] {
      case .uploaded(let upload)?: await copies.add(target.name, object(upload))
      case .failed(let reason)?: await copies.fail(target.name, reason)
      case nil: break
      }
    }
    return object(primary)
  }

  /// Writes each complete copy's manifest (its own keys and ETags); a copy missing an
  /// object, or whose manifest cannot be written, fails and its objects are removed.
  func finishCopies(_ manifest: BackupManifest, copies: BackupCopies) async {
    for target in await copies.live {
      let objects = await copies.objects[target.name] ?? []
      guard objects.count == manifest.objects.count else {
        await copies.fail(target.name, "an object of the backup is missing in the copy")
        continue
      }
      var copy = manifest
      // By file name: a backup of several databases has several dumps.
      copy.objects = manifest.objects.map { original in
        objects.first { BackupKey.name(of: $0.key) == BackupKey.name(of: original.key) } ?? original
      }
      let layout = BucketLayout(prefix: target.storage.prefix, policyName: policy.name)
      do {
        try await target.storage.client.putObject(
          bucket: target.storage.bucket, key: layout.manifestKey(manifest.id),
          body: Array(try BucketJSON.encoder.encode(copy)),
          options: target.storage.manifestOptions)
      } catch {
        await copies.fail(target.name, "its manifest could not be written: \(error)")
      }
    }
    for target in copies.targets where await copies.failures[target.name] != nil {
      await Self.removeLeftovers(of: manifest.id, in: target.storage, policy: policy.name)
    }
  }

  /// Aborts the uploads and deletes the objects of backup `id` in `storage`. A manifest
  /// there (a write that timed out may still have landed) goes first, and when it cannot
  /// be deleted nothing else is: a listed backup must never lose its objects.
  static func removeLeftovers(of id: BackupID, in storage: Storage, policy: String) async {
    let layout = BucketLayout(prefix: storage.prefix, policyName: policy)
    let prefix = layout.backupPrefix(id)
    let client = storage.client
    for upload in (try? await client.listMultipartUploads(bucket: storage.bucket, prefix: prefix)) ?? [] {
      try? await client.abortMultipartUpload(bucket: storage.bucket, key: upload.key, uploadID: upload.uploadID)
    }
    var keys = ((try? await client.listAllObjects(bucket: storage.bucket, prefix: prefix)) ?? []).map(\.key)
    if keys.contains(layout.manifestKey(id)) {
      guard (try? await client.deleteObject(bucket: storage.bucket, key: layout.manifestKey(id))) != nil else { return }
      keys.removeAll { $0 == layout.manifestKey(id) }
    }
    if !keys.isEmpty { _ = try? await client.deleteObjects(bucket: storage.bucket, keys: keys) }
  }
}

extension Storage {
  /// How a manifest is written: JSON, with the storage's class, encryption and lock.
  var manifestOptions: S3PutOptions {
    var options = putOptions
    options.contentType = "application/json"
    return options
  }
}
