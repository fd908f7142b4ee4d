import DRSigV4

/// Runs the signer on a suite case the way aws-c-auth's runner configures it from `context.json`.
extension SuiteCase {
  var signer: SigV4Signer {
    let credentials = SigV4Credentials(
      accessKeyID: context.credentials.accessKeyID, secretAccessKey: context.credentials.secretAccessKey,
      sessionToken: context.credentials.token)
    let options = SigV4Options(
      normalizePath: context.normalize, pathEncoding: .double, addContentSHA256Header: context.signBody,
      omitSessionToken: context.omitSessionToken ?? false)
    return SigV4Signer(credentials: credentials, service: context.service, region: context.region, options: options)
  }

  /// The body's hash when `sign_body`, the empty payload's otherwise.
  var payload: SigV4Payload {
    context.signBody ? .body(Array(request.body.utf8)) : .empty
  }

  var signableRequest: SigV4Request {
    SigV4Request(method: request.method, target: request.target, headers: request.headers)
  }

  func signHeaders() throws -> SigV4HeaderSignature {
    try signer.signHeaders(signableRequest, payload: payload, date: context.timestamp)
  }

  func presign() throws -> SigV4QuerySignature {
    try signer.presign(
      signableRequest, payload: payload, expires: context.expirationInSeconds, date: context.timestamp)
  }

  /// The header-signed request as text: the original request plus the signer's headers.
  func headerSignedRequest() throws -> String {
    request.text(adding: try signHeaders().headers)
  }

  /// The presigned request as text: the original target (kept verbatim) plus the signer's parameters.
  func querySignedRequest() throws -> String {
    let (path, query) = request.pathAndQuery
    let signed = try presign().encodedParameters
    return request.text(target: path + "?" + (query.isEmpty ? signed : query + "&" + signed), adding: [])
  }
}
