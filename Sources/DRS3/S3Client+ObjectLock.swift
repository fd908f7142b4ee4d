import DRSigV4
import Foundation

extension S3Client {
  /// CreateBucket with Object Lock enabled (which also turns versioning on): objects
  /// written with a retention cannot be deleted before it ends.
  public func createBucketWithObjectLock(_ bucket: String) async throws {
    var call = S3Call(method: "PUT", bucket: bucket)
    call.headers.append(SigV4Header("x-amz-bucket-object-lock-enabled", "true"))
    _ = try await send(call)
  }

  /// Whether the bucket has Object Lock enabled (GetObjectLockConfiguration); false when
  /// the server says it has no configuration.
  public func objectLockEnabled(_ bucket: String) async throws -> Bool {
    do {
      let xml = try await sendForXML(
        S3Call(method: "GET", bucket: bucket, query: [SigV4QueryItem("object-lock", "")]),
        expecting: "ObjectLockConfiguration")
      return xml.child("ObjectLockEnabled")?.text == "Enabled"
    } catch let error as S3Error where error.status == 404 {
      return false
    }
  }

  /// Deletes one version of an object (not a delete marker): what Object Lock refuses
  /// before the retention ends. `bypassGovernance` asks to override a GOVERNANCE lock
  /// (the credentials need s3:BypassGovernanceRetention).
  public func deleteObjectVersion(bucket: String, key: String, versionID: String, bypassGovernance: Bool = false)
    async throws
  {
    var call = S3Call(
      method: "DELETE", bucket: bucket, key: try Self.checked(key), query: [SigV4QueryItem("versionId", versionID)])
    if bypassGovernance { call.headers.append(SigV4Header("x-amz-bypass-governance-retention", "true")) }
    _ = try await send(call)
  }
}
