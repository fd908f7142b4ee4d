import DRCore

/// Keys that need no fetching: the environment's and a shared profile's.
enum StaticKeys {
  /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`, or the older
  /// `AWS_SECURITY_TOKEN`); nil when neither key is set, an error when only one is.
  static func environment(_ variables: [String: String], secrets: SecretRegistry) throws(CredentialsError)
    -> S3Credentials?
  {
    try keys(
      id: variables.nonEmpty("AWS_ACCESS_KEY_ID"), secret: variables.nonEmpty("AWS_SECRET_ACCESS_KEY"),
      token: variables.nonEmpty("AWS_SESSION_TOKEN") ?? variables.nonEmpty("AWS_SECURITY_TOKEN"),
      names: ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), place: "the environment",
      source: "environment (AWS_ACCESS_KEY_ID)", secrets: secrets)
  }

  /// A profile's keys, from the credentials file if it has any there, else from the config
  /// file (the two are never mixed). Nil when the profile has none; an error when it only
  /// has half, or gets its keys in a way dr does not implement.
  static func profile(_ profile: SharedProfile, secrets: SecretRegistry) throws(CredentialsError) -> S3Credentials? {
    for (values, path) in [profile.credentialsFile, profile.configFile].compactMap({ $0 }) {
      let found = try keys(
        id: values.nonEmpty("aws_access_key_id"), secret: values.nonEmpty("aws_secret_access_key"),
        token: values.nonEmpty("aws_session_token") ?? values.nonEmpty("aws_security_token"),
        names: ("aws_access_key_id", "aws_secret_access_key"), place: "profile \(profile.name) in \(path)",
        source: "profile \(profile.name) (\(path))", secrets: secrets)
      if let found { return found }
    }
    for (values, path) in [profile.credentialsFile, profile.configFile].compactMap({ $0 }) {
      let unsupported = unsupportedSettings.filter { values.nonEmpty($0) != nil }
      if !unsupported.isEmpty {
        throw .unsupportedProfile(name: profile.name, settings: unsupported, file: path)
      }
    }
    return nil
  }

  /// Settings through which the AWS CLI gets keys that dr does not: IAM Identity Center,
  /// external processes. (Roles, `role_arn`, are resolved before keys are looked for.)
  static let unsupportedSettings = [
    "credential_process", "sso_session", "sso_start_url", "sso_account_id", "login_session",
  ]

  private static func keys(
    id: String?, secret: String?, token: String?, names: (id: String, secret: String), place: String,
    source: String, secrets: SecretRegistry
  ) throws(CredentialsError) -> S3Credentials? {
    switch (id, secret) {
    case (nil, nil): return nil
    case (nil, _): throw .partialCredentials(source: place, missing: names.id)
    case (_, nil): throw .partialCredentials(source: place, missing: names.secret)
    case (let id?, let secret?):
      secrets.register(secret)
      secrets.register(token)
      return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token, source: source)
    }
  }
}

extension Dictionary where Key == String, Value == String {
  /// The value for `key`, trimmed, or nil when missing or blank.
  func nonEmpty(_ key: String) -> String? { self[key]?.trimmedNonEmpty }
}

extension String {
  /// This text trimmed, or nil when that leaves nothing.
  var trimmedNonEmpty: String? {
    let trimmed = Substring(self).trimmingWhitespace()
    return trimmed.isEmpty ? nil : String(trimmed)
  }
}
