import DRSigV4
import Foundation
import Synchronization

extension S3Client {
  /// A presigned URL for `method` on an object, valid `expires` seconds (at most 7 days).
  public func presign(method: String = "GET", bucket: String, key: String, expires: Int, date: Date? = nil)
    async throws -> String
  {
    guard (1...SigV4.maximumPresignExpiry).contains(expires) else {
      throw S3Error(
        .invalidRequest, operation: "presign s3://\(bucket)/\(key)",
        message: "expiry must be from 1 second to 7 days (604800 s), got \(expires)")
    }
    let keys = try await credentials.credentials()
    let (host, path) = endpoint.location(bucket: bucket, key: try Self.checked(key))
    let request = SigV4Request(method: method, path: path, headers: [SigV4Header("Host", host)])
    let signer = SigV4Signer(credentials: keys.signing, service: "s3", region: endpoint.region, options: .s3)
    let signed = try signer.presign(
      request, payload: .unsigned, expires: expires, date: (date ?? now()).addingTimeInterval(clockSkew.withLock { $0 })
    )
    return "\(endpoint.scheme)://\(host)\(signed.target)"
  }
}
