import DRBackup
import DRS3

extension BackupFixture {
  /// Where the fixture's policy keeps its objects in the bucket (the same for every fixture).
  public static let layout = BucketLayout(prefix: storagePrefix, policyName: policyName)
  public var layout: BucketLayout { Self.layout }

  /// The key of object `name` of backup `id` (as dr prints IDs): `…/backups/ID/NAME`.
  public func key(_ id: String, _ name: String) throws -> String {
    layout.backupPrefix(try BackupID(parsing: id)) + name
  }

  /// The key of backup `id`'s manifest.
  public func manifestKey(_ id: String) throws -> String { layout.manifestKey(try BackupID(parsing: id)) }

  /// The key of backup `id`'s dump (bzip2, unencrypted: the fixture's default).
  public func dumpKey(_ id: String, fileExtension: String = "bz2") throws -> String {
    layout.dumpKey(try BackupID(parsing: id), fileExtension: fileExtension)
  }

  /// The key of backup `id`'s globals.
  public func globalsKey(_ id: String, fileExtension: String = "bz2") throws -> String {
    layout.globalsKey(try BackupID(parsing: id), fileExtension: fileExtension)
  }

  /// Every key in the bucket, and the multipart uploads in progress.
  public func bucketContents() async throws -> (keys: [String], uploads: Int) {
    let keys = try await client.listAllObjects(bucket: bucket).map(\.key)
    return (keys, try await client.listMultipartUploads(bucket: bucket).count)
  }

  /// The keys under `prefix` (a key of `layout`).
  public func keys(under prefix: String) async throws -> [String] {
    try await client.listAllObjects(bucket: bucket, prefix: prefix).map(\.key)
  }

  /// The stored bytes of `key`.
  public func object(_ key: String) async throws -> [UInt8] {
    try await client.getObjectBytes(bucket: bucket, key: key)
  }

  /// Replaces the stored bytes of `key`.
  public func replace(_ key: String, with bytes: [UInt8]) async throws {
    try await client.putObject(bucket: bucket, key: key, body: bytes)
  }
}
