import DRBackup
import DRS3
import Foundation

/// The bucket side of a job's lease and last run: JSON objects, created conditionally.
struct JobLeaseStore: Sendable {
  let client: S3Client
  let bucket: String
  let keys: JobRecordKeys

  /// Who holds the lease; `.leaseUnreadable` when the object there is not a lease (read as
  /// "no lease", it would look held for ever and stall the job).
  func holder() async throws -> JobLeaseHolder? {
    try await BackupLease.read(JobLeaseHolder.self, client: client, bucket: bucket, key: keys.lease)
  }

  func last() async throws -> JobLastRun? { try await read(keys.last) }

  /// Creates the lease if absent; true when it is `holder`'s afterwards.
  func create(_ holder: JobLeaseHolder) async throws -> Bool {
    do {
      try await client.putObject(
        bucket: bucket, key: keys.lease, body: Array(try BucketJSON.encoder.encode(holder)),
        options: S3PutOptions(contentType: "application/json", ifNoneMatch: true))
    } catch let error as S3Error where error.status == 412 {
      return false
    }
    return try await self.holder()?.worker == holder.worker
  }

  func overwrite(_ holder: JobLeaseHolder) async throws {
    try await put(keys.lease, holder)
  }

  func write(_ last: JobLastRun) async throws {
    try await put(keys.last, last)
  }

  func delete() async throws {
    try await client.deleteObject(bucket: bucket, key: keys.lease)
  }

  private func put<Value: Encodable>(_ key: String, _ value: Value) async throws {
    _ = try await client.putObject(
      bucket: bucket, key: key, body: Array(try BucketJSON.encoder.encode(value)),
      options: S3PutOptions(contentType: "application/json"))
  }

  private func read<Value: Decodable>(_ key: String) async throws -> Value? {
    do {
      let bytes = try await client.getObjectBytes(bucket: bucket, key: key)
      return try? BucketJSON.decoder.decode(Value.self, from: Data(bytes))
    } catch let error as S3Error where error.status == 404 {
      return nil
    }
  }
}
