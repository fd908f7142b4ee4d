import Yams

/// The keys of one mapping, checked against the keys the schema allows.
struct MapReader {
  let pairs: [(key: String, node: Node)]
  let path: String
  let context: ReadContext
  /// The mapping's line, for keys that are missing from it.
  let line: Int?

  init(pairs: [(key: String, node: Node)], path: String, context: ReadContext, line: Int? = nil) {
    self.pairs = pairs
    self.path = path
    self.context = context
    self.line = line
  }

  /// Reads `mapping`, refusing unknown and duplicate keys.
  init(mapping: Node.Mapping, allowed: [String], path: String, context: ReadContext) throws(PolicyError) {
    var pairs: [(key: String, node: Node)] = []
    for (keyNode, value) in mapping {
      let line = keyNode.mark?.line
      guard case .scalar(let scalar) = keyNode else {
        throw context.error(path, line: line, "keys must be plain names")
      }
      let key = scalar.string
      let keyPath = join(path, key)
      guard allowed.contains(key) else {
        throw context.error(keyPath, line: line, Self.unknownKeyProblem(key, allowed: allowed))
      }
      guard !pairs.contains(where: { $0.key == key }) else {
        throw context.error(keyPath, line: line, "this key appears twice")
      }
      pairs.append((key, value))
    }
    self.init(pairs: pairs, path: path, context: context, line: mapping.mark?.line)
  }

  func optional(_ key: String) -> Field? {
    guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
    let field = Field(node: pair.node, path: join(path, key), context: context)
    return field
  }

  func required(_ key: String, _ expected: String) throws(PolicyError) -> Field {
    guard let field = optional(key) else { throw missing(key, expected) }
    return field
  }

  /// The error for `key` missing from this mapping.
  func missing(_ key: String, _ expected: String) -> PolicyError {
    context.error(join(path, key), line: line, "missing: expected \(expected)")
  }

  func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

  static func unknownKeyProblem(_ key: String, allowed: [String]) -> String {
    var problem = "unknown key '\(key)'"
    if let guess = allowed.min(by: { editDistance($0, key) < editDistance($1, key) }),
      editDistance(guess, key) <= max(2, key.count / 3)
    {
      problem += " (did you mean '\(guess)'?)"
    }
    return problem + "; allowed here: \(allowed.joined(separator: ", "))"
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
  }
}
