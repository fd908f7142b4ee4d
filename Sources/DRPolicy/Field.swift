import Yams

/// One value of the policy document together with its key path, so every error names
/// the key (`storage.url`), the line, and what was expected.
struct Field {
  let node: Node
  let path: String
  let context: ReadContext

  var line: Int? { node.mark.map { $0.line } }

  func error(_ problem: String) -> PolicyError {
    context.error(path, line: line, problem)
  }

  /// An explicit empty value (`key:`, `key: ~`, `key: null`).
  var isNull: Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }

  /// What the node is, for "got ..." in messages.
  var kindName: String {
    switch node {
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    case .scalar: isNull ? "an empty value" : "a single value"
    }
  }

  /// The scalar text after `${VAR}` expansion.
  func scalarText(expected: String) throws(PolicyError) -> String {
    guard case .scalar(let scalar) = node, !isNull else {
      throw error("expected \(expected), got \(kindName)")
    }
    do {
      return try Expansion.expand(scalar.string, environment: context.environment)
    } catch {
      throw self.error(Self.problem(error))
    }
  }

  /// The scalar text as written, before `${VAR}` expansion: for values that are split
  /// first and expanded piece by piece (an app's command).
  func rawScalar(expected: String) throws(PolicyError) -> String {
    guard case .scalar(let scalar) = node, !isNull else {
      throw error("expected \(expected), got \(kindName)")
    }
    return scalar.string
  }

  static func problem(_ failure: Expansion.Failure) -> String {
    switch failure {
    case .unset(let name): "${\(name)} is not set in the environment (set it, or write ${\(name):-default})"
    case .unterminated: "a ${ without its closing } (write $${ for a literal ${)"
    case .badName(let name): "'${\(name)}' is not a variable name (letters, digits and _ only)"
    }
  }

  func mapping(_ allowed: [String]) throws(PolicyError) -> MapReader {
    if isNull { return MapReader(pairs: [], path: path, context: context) }
    guard case .mapping(let mapping) = node else {
      throw error("expected a mapping with keys \(allowed.joined(separator: ", ")), got \(kindName)")
    }
    return try MapReader(mapping: mapping, allowed: allowed, path: path, context: context)
  }

  /// A mapping whose keys are names chosen by the user (stack components, environments).
  func namedEntries() throws(PolicyError) -> [(name: String, field: Field)] {
    if isNull { return [] }
    guard case .mapping(let mapping) = node else { throw error("expected a mapping of names, got \(kindName)") }
    var entries: [(name: String, field: Field)] = []
    for (key, value) in mapping {
      guard case .scalar(let scalar) = key else { throw error("keys must be plain names") }
      entries.append((scalar.string, Field(node: value, path: join(path, scalar.string), context: context)))
    }
    return entries
  }

  func sequence() throws(PolicyError) -> [Field] {
    if isNull { return [] }
    guard case .sequence(let sequence) = node else { throw error("expected a list, got \(kindName)") }
    return sequence.enumerated().map { index, node in
      Field(node: node, path: "\(path)[\(index)]", context: context)
    }
  }
}

func join(_ path: String, _ key: String) -> String {
  path.isEmpty ? key : "\(path).\(key)"
}
