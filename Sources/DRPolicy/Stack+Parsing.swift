import DRCore

extension StackSettings {
  init(_ field: Field) throws(PolicyError) {
    var components: [StackComponent] = []
    for (name, entry) in try field.namedEntries() {
      guard Identifier.isValid(name) else {
        throw entry.error("a component name must be lowercase letters, digits and '-'")
      }
      components.append(try StackComponent(name: name, entry))
    }
    self.components = components
    try validateReferences(field)
    try StackOrder.check(components, field: field)
  }

  private func validateReferences(_ field: Field) throws(PolicyError) {
    let names = components.map(\.name)
    for component in components {
      let path = join(field.path, component.name)
      for need in component.needs where !names.contains(need) {
        throw field.context.error(
          join(path, "needs"), line: field.line,
          "'\(need)' is not a component of the stack (components: \(names.joined(separator: ", ")))")
      }
      for backend in component.backends where self.component(named: backend)?.kind != .app {
        throw field.context.error(join(path, "backends"), line: field.line, "'\(backend)' is not an app of the stack")
      }
    }
    var ports: [Int: String] = [:]
    for component in components {
      if let other = ports[component.port] {
        throw field.context.error(
          join(join(field.path, component.name), "port"), line: field.line,
          "port \(component.port) is also \(other)'s")
      }
      ports[component.port] = component.name
    }
  }
}

extension StackComponent {
  static func keys(for kind: Kind) -> [String] {
    switch kind {
    case .postgresql: ["port", "needs"]
    case .memcached: ["port", "memory_mb", "needs"]
    case .haproxy: ["port", "backends", "needs"]
    case .app: ["command", "port", "health", "needs", "environment"]
    }
  }

  init(name: String, _ field: Field) throws(PolicyError) {
    let kind = Self.kind(forName: name)
    let map = try field.mapping(Self.keys(for: kind))
    self.name = name
    self.kind = kind
    port = try map.required("port", "the TCP port it listens on").port()
    needs = try map.optional("needs")?.stringList("a component name") ?? []
    command = try map.optional("command").map { field throws(PolicyError) in try AppCommand(field) }
    environment =
      try map.optional("environment").map { field throws(PolicyError) in try Self.environment(field) } ?? [:]
    health = try map.optional("health")?.nonEmptyString("an HTTP path such as /health")
    backends = try map.optional("backends")?.stringList("an app component") ?? []
    memoryMB = try map.optional("memory_mb")?.int(8...1_048_576, "MiB of memory")
    if kind == .app, command == nil { throw field.error("an app needs command: (the line that starts it)") }
    if kind == .haproxy, backends.isEmpty { throw field.error("haproxy needs backends: [the app components]") }
    if let health, !health.hasPrefix("/") { throw field.error("health must be a path starting with /") }
  }
}

extension StackComponent {
  /// `environment: {NAME: value}`: variables for the app, `${VAR}` expanded as anywhere.
  /// Values of names that look secret are remembered, to be masked.
  static func environment(_ field: Field) throws(PolicyError) -> [String: String] {
    var result: [String: String] = [:]
    for (name, entry) in try field.namedEntries() {
      guard isVariableName(name) else {
        throw entry.error("expected a variable name (letters, digits and _, not starting with a digit)")
      }
      guard !AppCommand.stackVariables.contains(name) else {
        throw entry.error("\(name) is set by the stack (PORT, DATABASE_URL and MEMCACHED_SERVERS are)")
      }
      let value = try entry.string("a text value")
      if SecretRegistry.isSecretName(name) { field.context.noteSecret(value) }
      result[name] = value
    }
    return result
  }

  static func isVariableName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy {
      $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
    }
  }
}

/// Dependency order: every component after what it needs; a cycle is a policy error.
enum StackOrder {
  static func check(_ components: [StackComponent], field: Field) throws(PolicyError) {
    var state: [String: Bool] = [:]  // false: visiting, true: done
    for component in components {
      if let cycle = visit(component.name, components, &state, trail: []) {
        throw field.error("the stack's needs form a cycle: \(cycle.joined(separator: " → "))")
      }
    }
  }

  private static func visit(
    _ name: String, _ components: [StackComponent], _ state: inout [String: Bool], trail: [String]
  ) -> [String]? {
    if state[name] == true { return nil }
    if state[name] == false { return trail.drop { $0 != name } + [name] }
    state[name] = false
    let dependencies = components.first { $0.name == name }?.dependencies ?? []
    for dependency in dependencies {
      if let cycle = visit(dependency, components, &state, trail: trail + [name]) { return cycle }
    }
    state[name] = true
    return nil
  }
}
