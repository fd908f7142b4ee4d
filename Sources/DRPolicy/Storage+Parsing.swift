extension StorageOverride {
  static let keys = [
    "url", "region", "endpoint", "addressing", "credentials", "storage_class", "server_side_encryption",
    "kms_key_id", "ca_bundle", "max_rate", "content_md5", "copies",
  ]

  static let storageClasses = [
    "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "REDUCED_REDUNDANCY", "GLACIER_IR", "GLACIER",
    "DEEP_ARCHIVE", "EXPRESS_ONEZONE",
  ]

  /// Every storage key, all optional; `allowCopies` is false inside a copy.
  init(_ field: Field, allowCopies: Bool) throws(PolicyError) {
    let map = try field.mapping(allowCopies ? Self.keys : Self.keys.filter { $0 != "copies" })
    location = try map.optional("url").map { field throws(PolicyError) in try field.s3Location() }
    region = try map.optional("region").map { field throws(PolicyError) in try field.nonEmptyString("a region name") }
    endpoint = try map.optional("endpoint").map { field throws(PolicyError) in
      try field.httpURL("the S3 endpoint")
    }
    addressing = try map.optional("addressing").map { field throws(PolicyError) in
      try field.choice(StorageSettings.Addressing.self)
    }
    credentials = try map.optional("credentials").map { field throws(PolicyError) in
      try CredentialsSettings(field)
    }
    storageClass = try map.optional("storage_class").map { field throws(PolicyError) in
      let value = try field.nonEmptyString("a storage class")
      guard Self.storageClasses.contains(value) else {
        throw field.error("expected one of \(Self.storageClasses.joined(separator: ", ")), got \(field.quoted(value))")
      }
      return value
    }
    serverSideEncryption = try Self.serverSideEncryption(map)
    caBundle = try map.optional("ca_bundle")?.nonEmptyString("a PEM file of CA certificates")
    maxRate = try map.optional("max_rate")?.byteRate()
    contentMD5 = try map.optional("content_md5").map { field throws(PolicyError) in
      try field.choice(ContentMD5Setting.self)
    }
    copies = try map.optional("copies").map { field throws(PolicyError) in
      try field.sequence().map { item throws(PolicyError) in try StorageSettings(item, allowCopies: false) }
    }
  }

  private static func serverSideEncryption(_ map: MapReader) throws(PolicyError) -> StorageSettings
    .ServerSideEncryption?
  {
    let keyID = try map.optional("kms_key_id").map { field throws(PolicyError) in
      try field.nonEmptyString("a KMS key id or ARN")
    }
    guard let field = map.optional("server_side_encryption") else {
      if keyID != nil {
        throw map.context.error(join(map.path, "kms_key_id"), line: map.line, "needs server_side_encryption: aws:kms")
      }
      return nil
    }
    switch try field.string("AES256 or aws:kms") {
    case "AES256":
      if keyID != nil { throw field.error("kms_key_id goes with aws:kms, not AES256") }
      return .aes256
    case "aws:kms": return .kms(keyID: keyID)
    case let other: throw field.error("expected AES256 or aws:kms, got \(field.quoted(other))")
    }
  }
}

extension StorageSettings {
  init(_ field: Field, allowCopies: Bool = true) throws(PolicyError) {
    let fields = try StorageOverride(field, allowCopies: allowCopies)
    guard let location = fields.location else {
      throw field.context.error(join(field.path, "url"), line: field.line, "missing: expected s3://bucket/prefix/")
    }
    self.init(
      location: location, region: fields.region, endpoint: fields.endpoint, addressing: fields.addressing,
      credentials: fields.credentials, storageClass: fields.storageClass,
      serverSideEncryption: fields.serverSideEncryption, caBundle: fields.caBundle, maxRate: fields.maxRate,
      copies: fields.copies ?? [], contentMD5: fields.contentMD5)
  }
}

extension CredentialsSettings {
  static let keyNames = ["profile", "access_key_id", "secret_access_key", "session_token"]

  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(Self.keyNames + RoleSettings.keyNames)
    if map.has("role_arn") {
      if let other = Self.keyNames.first(where: { map.has($0) }) {
        throw field.error("\(other) does not go with role_arn; the role's own credentials go under source")
      }
      self = .role(try RoleSettings(map, field))
      return
    }
    if let other = RoleSettings.keyNames.first(where: { map.has($0) }) {
      throw field.error("\(other) needs role_arn")
    }
    if let profile = map.optional("profile") {
      guard !map.has("access_key_id"), !map.has("secret_access_key") else {
        throw field.error("give either profile or access_key_id with secret_access_key, not both")
      }
      self = .profile(try profile.nonEmptyString("a profile name from ~/.aws/credentials or ~/.aws/config"))
      return
    }
    guard map.has("access_key_id") || map.has("secret_access_key") else {
      throw field.error("expected profile: NAME, access_key_id and secret_access_key, or role_arn")
    }
    let id = try map.required("access_key_id", "an access key id").nonEmptyString("an access key id")
    let secret = try map.required("secret_access_key", "a secret access key, e.g. ${SPARE_SECRET_KEY}")
      .secret("a secret access key")
    let token = try map.optional("session_token").map { field throws(PolicyError) in
      try field.secret("a session token")
    }
    self = .keys(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
  }
}

extension RoleSettings {
  static let keyNames = [
    "role_arn", "source", "web_identity_token_file", "external_id", "role_session_name", "duration_seconds",
  ]

  init(_ map: MapReader, _ field: Field) throws(PolicyError) {
    let arnField = try map.required("role_arn", "a role ARN")
    let arn = try arnField.nonEmptyString("a role ARN, e.g. arn:aws:iam::123456789012:role/dr-spare")
    guard arn.hasPrefix("arn:"), arn.split(separator: ":", omittingEmptySubsequences: false).count >= 6,
      arn.contains(":role/")
    else {
      throw arnField.error("expected a role ARN like arn:aws:iam::123456789012:role/NAME, got \(arnField.quoted(arn))")
    }
    roleARN = arn
    if let file = map.optional("web_identity_token_file") {
      if map.has("source") { throw field.error("give source or web_identity_token_file, not both") }
      authority = .webIdentity(tokenFile: try file.nonEmptyString("the path of a web identity token file"))
    } else {
      authority = .credentials(
        try map.optional("source").map { source throws(PolicyError) in try CredentialsSettings(source) })
    }
    externalID = try map.optional("external_id")?.nonEmptyString("an external ID")
    sessionName = try map.optional("role_session_name").map { name throws(PolicyError) in
      let text = try name.nonEmptyString("a session name")
      guard (2...64).contains(text.count),
        text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@_-".contains($0)) })
      else {
        throw name.error("expected 2 to 64 of letters, digits and +=,.@_-, got \(name.quoted(text))")
      }
      return text
    }
    durationSeconds = try map.optional("duration_seconds")?.int(900...43_200, "a number of seconds")
  }
}

extension Field {
  func s3Location() throws(PolicyError) -> S3Location {
    let text = try nonEmptyString("an s3:// URL")
    switch S3Location.parse(text) {
    case .success(let location): return location
    case .failure(let failure):
      throw error("expected an S3 URL like s3://bucket/prefix/, got \(quoted(text)): \(failure.reason)")
    }
  }
}
