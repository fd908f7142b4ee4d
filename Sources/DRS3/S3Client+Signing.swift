import DRHTTP
import DRSigV4
import Foundation
import Synchronization

extension S3Client {
  /// The HTTP request for `call`, signed for now (corrected by the learnt clock skew).
  func sign(_ call: S3Call, with keys: S3Credentials) throws -> HTTPRequest {
    let (host, path) = endpoint.location(bucket: call.bucket, key: call.key)
    let request = SigV4Request(
      method: call.method, path: path, query: call.query, headers: [SigV4Header("Host", host)] + call.headers)
    let signer = SigV4Signer(credentials: keys.signing, service: "s3", region: endpoint.region, options: .s3)
    let date = now().addingTimeInterval(clockSkew.withLock { $0 })
    let cached = signingKey.withLock { $0 }
    let signature: SigV4HeaderSignature
    do {
      signature = try signer.signHeaders(request, payload: call.payload, date: date, signingKey: cached)
    } catch {
      throw S3Error(.invalidRequest, operation: call.operation, message: "cannot sign: \(error)")
    }
    if cached != signature.signingKey { signingKey.withLock { $0 = signature.signingKey } }
    let headers = (call.headers + signature.headers).map { (name: $0.name, value: $0.value) }
    return HTTPRequest(
      method: call.method, url: "\(endpoint.scheme)://\(host)\(request.target)", headers: headers,
      body: call.body.isEmpty ? .empty : .bytes(call.body))
  }
}
