/// Removes secrets from text meant for people: logs, error messages, reports.
///
/// Two passes: every value in the `SecretRegistry` is replaced by `***`, then shapes
/// that carry secrets whatever their value are masked — the password in a URL's
/// user info, libpq's `password=`, SigV4 signatures and security tokens in headers
/// and presigned URLs, and `NAME=value` pairs whose name says secret.
public struct Redactor: Sendable {
  public static let mask = "***"

  private let registry: SecretRegistry

  public init(registry: SecretRegistry = .shared) {
    self.registry = registry
  }

  public func redact(_ text: String) -> String {
    var result = text
    for secret in registry.snapshot where result.contains(secret) {
      result = result.replacing(secret, with: Self.mask)
    }
    return Self.maskShapes(result)
  }

  /// Masks secrets recognisable by their shape alone.
  static func maskShapes(_ text: String) -> String {
    var result = text.replacing(urlPassword) { match in "\(match.output.1)\(mask)@" }
    for pattern in keyValuePatterns {
      result = result.replacing(pattern) { match in "\(match.output.1)\(mask)" }
    }
    return result
  }

  /// `scheme://user:password@` → `scheme://user:***@`.
  nonisolated(unsafe) private static let urlPassword = #/([A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*:)[^\s/@]+@/#

  /// `password=...`, `X-Amz-Signature=...`, `Signature=...`, `x-amz-security-token: ...`,
  /// `SECRET_ACCESS_KEY=...` and the like; group 1 is kept, the value masked.
  nonisolated(unsafe) private static let keyValuePatterns = [
    #/(?i)(\bpassword\s*=\s*)[^\s&'"]+/#,
    #/(?i)(X-Amz-Signature=)[0-9a-f]+/#,
    #/(?i)(X-Amz-Security-Token=)[^\s&"]+/#,
    #/(?i)(x-amz-security-token:\s*)\S+/#,
    #/(?i)(\bSignature=)[0-9a-f]{16,}/#,
    #/(?i)(\b[A-Z_]*(?:SECRET|PASSWORD|TOKEN|PASSPHRASE)[A-Z_]*=)\S+/#,
  ]
}

extension String {
  /// This text with every known secret and secret-shaped value masked.
  public var redacted: String { Redactor().redact(self) }
}
