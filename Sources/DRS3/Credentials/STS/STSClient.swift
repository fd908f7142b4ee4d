import DRCore
import DRHTTP
import DRSigV4
import Foundation

/// Calls STS (AWS's, or an S3-compatible server's such as Ceph RGW) with dr's own signer
/// and XML reader. Every call is a POST of a form to the endpoint's root.
struct STSClient: Sendable {
  /// `https://sts.us-east-1.amazonaws.com`, or a custom endpoint; no trailing slash.
  let endpoint: String
  let region: String
  let http: HTTPClient
  let secrets: SecretRegistry
  /// The clock requests are signed by (the server checks it, so never a test's clock).
  var now: @Sendable () -> Date = Date.init
  /// The limit on one attempt, connection and answer together.
  var timeout: Duration = .seconds(30)
  static let attempts = 3

  /// `AssumeRole`, signed with `keys` (service `sts`).
  func assumeRole(_ role: RoleParameters, sessionName: String, signedWith keys: S3Credentials) async throws
    -> S3Credentials
  {
    try await call(STSForm.assumeRole(role, sessionName: sessionName), signedWith: keys)
  }

  /// `AssumeRoleWithWebIdentity`: unsigned, the token proves who asks.
  func assumeRoleWithWebIdentity(_ role: RoleParameters, sessionName: String, token: String) async throws
    -> S3Credentials
  {
    try await call(STSForm.assumeRoleWithWebIdentity(role, sessionName: sessionName, token: token), signedWith: nil)
  }

  var source: String { "STS at \(endpoint)" }

  private func call(_ form: STSForm, signedWith keys: S3Credentials?) async throws -> S3Credentials {
    var failure = STSFailure(reason: "not tried")
    for attempt in 1...Self.attempts {
      do {
        return try await attemptCall(form, signedWith: keys)
      } catch let error as STSFailure {
        failure = error
        guard error.transient, attempt < Self.attempts else { break }
        try await Task.sleep(for: .milliseconds(250 << attempt))
      }
    }
    throw CredentialsError.roleFailed(
      roleARN: form.roleARN, action: form.action, endpoint: endpoint, reason: failure.reason)
  }

  private func attemptCall(_ form: STSForm, signedWith keys: S3Credentials?) async throws -> S3Credentials {
    let request = try signed(form, keys)
    let response: HTTPResponse?
    do {
      response = try await withDeadline(timeout) { [http] in try await http.send(request) }
    } catch let error as HTTPError {
      if error.code == .cancelled { throw CancellationError() }
      throw STSFailure(reason: "no answer: \(error.message.isEmpty ? "\(error.code)" : error.message)", transient: true)
    }
    guard let response else { throw STSFailure(reason: "no answer within \(timeout.secondsText)", transient: true) }
    guard response.status == 200 else { throw STSAnswer.failure(status: response.status, body: response.body) }
    let source = "role \(form.roleARN) (\(form.action) at \(endpoint))"
    return try STSAnswer.credentials(response.body, action: form.action, source: source, secrets: secrets)
  }

  /// The HTTP request: the form as body, signed with `keys` when given.
  func signed(_ form: STSForm, _ keys: S3Credentials?) throws -> HTTPRequest {
    let body = Array(form.body.utf8)
    var headers: [(name: String, value: String)] = [("Content-Type", STSForm.contentType)]
    if let keys {
      let request = SigV4Request(
        method: "POST", path: "/",
        headers: [SigV4Header("Host", try host()), SigV4Header("Content-Type", STSForm.contentType)])
      let signer = SigV4Signer(credentials: keys.signing, service: "sts", region: region, options: .standard)
      do {
        let signature = try signer.signHeaders(request, payload: .body(body), date: now())
        headers += signature.headers.map { (name: $0.name, value: $0.value) }
      } catch {
        throw CredentialsError.roleFailed(
          roleARN: form.roleARN, action: form.action, endpoint: endpoint, reason: "cannot sign: \(error)")
      }
    }
    return HTTPRequest(method: "POST", url: endpoint + "/", headers: headers, body: .bytes(body))
  }

  /// The `Host` header libcurl sends for `endpoint`: the port only when it is not the scheme's.
  func host() throws(CredentialsError) -> String {
    guard let components = URLComponents(string: endpoint), let host = components.host, !host.isEmpty else {
      throw .invalidEndpoint(endpoint, source: "the STS endpoint")
    }
    let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    let scheme = components.scheme?.lowercased()
    guard let port = components.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else {
      return name
    }
    return "\(name):\(port)"
  }

  /// The STS endpoint for a region on AWS.
  static func awsEndpoint(region: String) -> String {
    region.hasPrefix("cn-") ? "https://sts.\(region).amazonaws.com.cn" : "https://sts.\(region).amazonaws.com"
  }
}
