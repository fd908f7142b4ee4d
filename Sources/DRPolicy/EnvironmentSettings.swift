/// A place the stack can run: production, or a failover under spare credentials.
public struct EnvironmentSettings: Sendable, Equatable {
  public enum Driver: String, Sendable, CaseIterable {
    case local, juju
  }

  public var name: String
  /// Shorthand for `storage.credentials`: the spare credentials.
  public var credentials: CredentialsSettings?
  public var storage: StorageOverride?
  public var driver: Driver
  /// Port overrides by stack component name.
  public var ports: [String: Int]
  /// The environment's own keys for client-side encryption, tried before the policy's.
  public var encryption: EncryptionSettings?

  /// The environment's own key file, when its key comes from one.
  public var encryptionKeyFile: String? { encryption?.keyFile }

  /// The policy's storage as this environment sees it.
  public func storage(over base: StorageSettings) -> StorageSettings {
    var result = storage?.applied(to: base) ?? base
    if let credentials { result.credentials = credentials }
    return result
  }

  /// The policy's stack with this environment's ports.
  public func stack(over base: StackSettings) -> StackSettings {
    var result = base
    for index in result.components.indices {
      if let port = ports[result.components[index].name] { result.components[index].port = port }
    }
    return result
  }
}
