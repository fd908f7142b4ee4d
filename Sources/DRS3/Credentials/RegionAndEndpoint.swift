/// Region and endpoint, each with where it came from.
extension S3AccessResolver {
  struct Resolved<Value> {
    let value: Value
    let source: String
  }

  /// The policy's, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, `us-east-1`.
  func resolveRegion(
    explicit: String?, profile name: String, files: SharedFilesLoader
  ) throws(CredentialsError) -> Resolved<String> {
    if let explicit = explicit?.trimmedNonEmpty { return Resolved(value: explicit, source: "the policy") }
    for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
      if let region = environment.nonEmpty(variable) { return Resolved(value: region, source: variable) }
    }
    if let region = try files.profile(name)?.value("region") {
      return Resolved(value: region, source: "profile \(name)")
    }
    return Resolved(value: "us-east-1", source: "the default")
  }

  /// The policy's, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's services
  /// section's `s3 = endpoint_url`, the profile's `endpoint_url`, else AWS (nil). Only the
  /// policy's counts when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
  /// `ignore_configured_endpoint_urls`) is true.
  func resolveEndpoint(
    explicit: String?, profile name: String, files: SharedFilesLoader
  ) throws(CredentialsError) -> Resolved<String?> {
    if let explicit = explicit?.trimmedNonEmpty {
      return Resolved(value: try Self.normalized(explicit, "the policy"), source: "the policy")
    }
    let profile = try files.profile(name)
    if Self.isTrue(environment.nonEmpty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
      || Self.isTrue(profile?.value("ignore_configured_endpoint_urls"))
    {
      return Resolved(value: nil, source: "configured endpoints ignored")
    }
    for variable in ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] {
      if let url = environment.nonEmpty(variable) {
        return Resolved(value: try Self.normalized(url, variable), source: variable)
      }
    }
    if let url = profile?.services?.nonEmpty("s3.endpoint_url") {
      let source = "profile \(name), services section"
      return Resolved(value: try Self.normalized(url, source), source: source)
    }
    if let url = profile?.value("endpoint_url") {
      return Resolved(value: try Self.normalized(url, "profile \(name)"), source: "profile \(name)")
    }
    return Resolved(value: nil, source: "the default")
  }

  private static func isTrue(_ value: String?) -> Bool { value?.lowercased() == "true" }

  /// An http(s) URL without its trailing slash.
  static func normalized(_ url: String, _ source: String) throws(CredentialsError) -> String {
    let lower = url.lowercased()
    guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.count > 8 else {
      throw .invalidEndpoint(url, source: source)
    }
    var result = Substring(url)
    while result.hasSuffix("/") { result = result.dropLast() }
    return String(result)
  }
}
