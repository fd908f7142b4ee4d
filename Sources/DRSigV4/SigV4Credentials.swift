/// The credentials a request is signed with.
///
/// Printing, string interpolation, `dump` and `debugPrint` never show the secret key or the token.
public struct SigV4Credentials: Sendable, Equatable {
  /// The access key id, e.g. `AKIDEXAMPLE`; it appears in every signed request.
  public let accessKeyID: String
  /// The secret access key; it never leaves the signer.
  public let secretAccessKey: String
  /// The session token of temporary credentials (STS), sent as `X-Amz-Security-Token`.
  public let sessionToken: String?

  public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
  }
}

extension SigV4Credentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var description: String {
    let token = sessionToken == nil ? "none" : "<redacted>"
    return "SigV4Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token))"
  }

  public var debugDescription: String { description }

  public var customMirror: Mirror {
    Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": "<redacted>"], displayStyle: .struct)
  }
}
