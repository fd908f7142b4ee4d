import Synchronization

/// The secret values this process knows about (keys, tokens, passwords), so that
/// `Redactor` can remove them from any text before it is printed or logged.
///
/// Values shorter than four characters are not registered: replacing them would
/// mangle ordinary text and they are not worth hiding.
public final class SecretRegistry: Sendable {
  public static let shared = SecretRegistry()

  private let values = Mutex<Set<String>>([])

  public init() {}

  public func register(_ secret: String?) {
    guard let secret, secret.count >= 4 else { return }
    values.withLock { _ = $0.insert(secret) }
  }

  public func register(contentsOf secrets: some Sequence<String>) {
    for secret in secrets { register(secret) }
  }

  /// Known secrets, longest first, so a secret that contains another is replaced whole.
  public var snapshot: [String] {
    values.withLock { Array($0) }.sorted { $0.count > $1.count }
  }

  /// Registers the secrets found in a process environment: AWS keys and tokens,
  /// PostgreSQL passwords, and any variable whose name says it holds a secret.
  public func registerEnvironment(_ environment: [String: String]) {
    for (name, value) in environment where Self.isSecretName(name) {
      register(value)
    }
  }

  /// Whether a variable named so holds a secret (AWS keys, passwords, tokens…).
  public static func isSecretName(_ name: String) -> Bool {
    let upper = name.uppercased()
    if upper == "AWS_ACCESS_KEY_ID" || upper.hasSuffix("_ACCESS_KEY_ID") { return false }
    return ["SECRET", "PASSWORD", "TOKEN", "PASSPHRASE", "PGPASS", "CREDENTIAL"].contains { upper.contains($0) }
  }
}
