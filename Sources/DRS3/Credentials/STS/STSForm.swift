import DRSigV4

/// What an STS call asks for, as the form fields of its POST body (the Query API:
/// `Action`, `Version` and the action's parameters, `application/x-www-form-urlencoded`).
struct STSForm: Sendable, Equatable {
  static let version = "2011-06-15"
  static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

  let action: String
  let roleARN: String
  /// Name, value, in the order they are sent.
  let fields: [(name: String, value: String)]

  /// `AssumeRole`: signed with the source credentials.
  static func assumeRole(_ role: RoleParameters, sessionName: String) -> STSForm {
    var fields = common("AssumeRole", role, sessionName: sessionName)
    if let externalID = role.externalID { fields.append(("ExternalId", externalID)) }
    return STSForm(action: "AssumeRole", roleARN: role.roleARN, fields: fields)
  }

  /// `AssumeRoleWithWebIdentity`: unsigned; the token is the proof.
  static func assumeRoleWithWebIdentity(_ role: RoleParameters, sessionName: String, token: String) -> STSForm {
    var fields = common("AssumeRoleWithWebIdentity", role, sessionName: sessionName)
    fields.append(("WebIdentityToken", token))
    return STSForm(action: "AssumeRoleWithWebIdentity", roleARN: role.roleARN, fields: fields)
  }

  private static func common(
    _ action: String, _ role: RoleParameters, sessionName: String
  ) -> [(name: String, value: String)] {
    var fields = [
      ("Action", action), ("Version", version), ("RoleArn", role.roleARN), ("RoleSessionName", sessionName),
    ]
    if let seconds = role.durationSeconds { fields.append(("DurationSeconds", String(seconds))) }
    return fields
  }

  /// The body: every name and value percent-encoded as SigV4 encodes (RFC 3986 unreserved
  /// characters kept), joined with `&`.
  var body: String {
    fields.map { SigV4.uriEncode($0.name, encodeSlash: true) + "=" + SigV4.uriEncode($0.value, encodeSlash: true) }
      .joined(separator: "&")
  }

  static func == (lhs: STSForm, rhs: STSForm) -> Bool {
    lhs.action == rhs.action && lhs.roleARN == rhs.roleARN && lhs.body == rhs.body
  }
}

/// The role to assume and how: the parts of a role that are not its authority.
public struct RoleParameters: Sendable, Equatable {
  public var roleARN: String
  public var externalID: String?
  /// `RoleSessionName`; nil: `AWS_ROLE_SESSION_NAME`, else `dr-` and the host name.
  public var sessionName: String?
  /// `DurationSeconds`; nil: the role's default (an hour on AWS).
  public var durationSeconds: Int?

  public init(roleARN: String, externalID: String? = nil, sessionName: String? = nil, durationSeconds: Int? = nil) {
    self.roleARN = roleARN
    self.externalID = externalID
    self.sessionName = sessionName
    self.durationSeconds = durationSeconds
  }

  /// A valid `RoleSessionName` (2 to 64 of `[A-Za-z0-9+=,.@_-]`) from `text`: other
  /// characters become `-`.
  static func sessionName(from text: String) -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-")
    let cleaned = String(text.map { allowed.contains($0) ? $0 : "-" }.prefix(64))
    return cleaned.count >= 2 ? cleaned : "dr-session"
  }
}
