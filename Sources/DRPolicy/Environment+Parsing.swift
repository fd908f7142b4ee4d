extension EnvironmentSettings {
  static let keys = ["credentials", "storage", "driver", "stack", "encryption"]

  static func list(_ field: Field, stack: StackSettings) throws(PolicyError) -> [EnvironmentSettings] {
    var result: [EnvironmentSettings] = []
    for (name, entry) in try field.namedEntries() {
      guard Identifier.isValid(name) else {
        throw entry.error("an environment name must be lowercase letters, digits and '-'")
      }
      result.append(try EnvironmentSettings(name: name, entry, stack: stack))
    }
    return result
  }

  init(name: String, _ field: Field, stack: StackSettings) throws(PolicyError) {
    let map = try field.mapping(Self.keys)
    self.name = name
    credentials = try map.optional("credentials").map { field throws(PolicyError) in try CredentialsSettings(field) }
    storage = try map.optional("storage").map { field throws(PolicyError) in
      try StorageOverride(field, allowCopies: true)
    }
    driver = try map.optional("driver")?.choice(Driver.self) ?? .local
    ports = try map.optional("stack").map { field throws(PolicyError) in try Self.ports(field, stack: stack) } ?? [:]
    encryption = try map.optional("encryption").map { field throws(PolicyError) in try EncryptionSettings(field) }
  }

  /// `stack: {postgresql: {port: 55433}}`: per-component port overrides.
  private static func ports(_ field: Field, stack: StackSettings) throws(PolicyError) -> [String: Int] {
    var ports: [String: Int] = [:]
    for (name, entry) in try field.namedEntries() {
      guard stack.component(named: name) != nil else {
        throw entry.error("'\(name)' is not a component of the policy's stack")
      }
      ports[name] = try entry.mapping(["port"]).required("port", "a TCP port").port()
    }
    return ports
  }
}
