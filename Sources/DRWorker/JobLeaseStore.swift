import DRBackup
import DRCore
import DRLease
import DRS3
import Foundation

/// The bucket side of a job's last run (`NAME/worker/JOB.last.json`), and where its lease is.
struct JobLeaseStore: Sendable {
  let client: S3Client
  let bucket: String
  let keys: JobRecordKeys

  var lease: LeaseObject { LeaseObject(client: client, bucket: bucket, key: keys.lease) }

  func last() async throws -> JobLastRun? {
    do {
      let bytes = try await client.getObjectBytes(bucket: bucket, key: keys.last)
      return try? BucketJSON.decoder.decode(JobLastRun.self, from: Data(bytes))
    } catch let error as S3Error where error.status == 404 {
      return nil
    }
  }

  func write(_ last: JobLastRun) async throws {
    _ = try await client.putObject(
      bucket: bucket, key: keys.last, body: Array(try BucketJSON.encoder.encode(last)),
      options: S3PutOptions(contentType: "application/json"))
  }
}
