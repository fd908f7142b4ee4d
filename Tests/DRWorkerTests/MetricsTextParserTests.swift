import Testing

/// A strict reader of the Prometheus text exposition format (0.0.4), so the metrics tests
/// check what a scraper would read rather than search the text for substrings.
///
/// Stricter than Prometheus on purpose: no blank lines or free comments, `# TYPE` before
/// its family's first sample and every sample in a declared family, each family's samples
/// together, no series twice.
struct Exposition {
  struct Series: Hashable {
    var name: String
    var labels: [String: String]
  }

  var types: [String: String] = [:]
  var help: [String: String] = [:]
  var values: [Series: Double] = [:]

  func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
    values[Series(name: name, labels: labels)]
  }

  /// The series of one metric, by their labels.
  func series(_ name: String) -> [[String: String]: Double] {
    Dictionary(uniqueKeysWithValues: values.filter { $0.key.name == name }.map { ($0.key.labels, $0.value) })
  }

  struct Failure: Error, CustomStringConvertible {
    let line: Int
    let message: String
    var description: String { "line \(line): \(message)" }
  }

  static func parse(_ text: String) throws -> Exposition {
    guard text.isEmpty || text.hasSuffix("\n") else { throw Failure(line: 0, message: "no final line feed") }
    var reader = ExpositionReader()
    for (number, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      do { try reader.read(String(line)) } catch { throw Failure(line: number + 1, message: error.message) }
    }
    return reader.exposition
  }
}

/// One line at a time, keeping what the next lines are checked against.
struct ExpositionReader {
  var exposition = Exposition()
  private var current: String?
  private var finished: Set<String> = []

  mutating func read(_ line: String) throws(ExpositionProblem) {
    if line.hasPrefix("# HELP ") {
      let (name, rest) = try Self.nameAndRest(line.dropFirst(7))
      try declare(name, help: try Self.unescapeHelp(rest))
    } else if line.hasPrefix("# TYPE ") {
      let (name, type) = try Self.nameAndRest(line.dropFirst(7))
      guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else { throw "bad type \(type)" }
      try declare(name, type: String(type))
    } else if line.isEmpty || line.hasPrefix("#") {
      throw "blank line or free comment"
    } else {
      try sample(line)
    }
  }

  private mutating func declare(_ name: String, help: String? = nil, type: String? = nil) throws(ExpositionProblem) {
    guard !finished.contains(name), exposition.values.keys.allSatisfy({ family(of: $0.name) != name }) else {
      throw "\(name) declared after its samples"
    }
    if let help {
      guard exposition.help.updateValue(help, forKey: name) == nil else { throw "second HELP for \(name)" }
    }
    if let type {
      guard exposition.types.updateValue(type, forKey: name) == nil else { throw "second TYPE for \(name)" }
    }
  }

  private mutating func sample(_ line: String) throws(ExpositionProblem) {
    var cursor = ExpositionCursor(line)
    let name = cursor.take { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
    guard ExpositionCursor.isMetricName(name) else { throw "bad metric name \(name)" }
    let labels = cursor.peek == "{" ? try cursor.labels() : [:]
    guard cursor.skip(" ") else { throw "no space before the value" }
    let value = try ExpositionCursor.number(cursor.take { $0 != " " })
    if cursor.skip(" ") { guard Int(cursor.take { _ in true }) != nil else { throw "bad timestamp" } }
    guard cursor.atEnd else { throw "trailing text" }
    guard let family = family(of: name) else { throw "\(name) has no TYPE" }
    if exposition.types[family] == "counter" && !(value >= 0) { throw "counter \(name) is \(value)" }
    try enter(family)
    let series = Exposition.Series(name: name, labels: labels)
    guard exposition.values.updateValue(value, forKey: series) == nil else { throw "\(name)\(labels) twice" }
  }

  /// The family a sample belongs to: its own name, or a histogram's or summary's base name.
  private func family(of name: String) -> String? {
    if exposition.types[name] != nil { return name }
    for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
      let base = String(name.dropLast(suffix.count))
      switch exposition.types[base] {
      case "histogram": return base
      case "summary" where suffix != "_bucket": return base
      default: continue
      }
    }
    return nil
  }

  private mutating func enter(_ family: String) throws(ExpositionProblem) {
    guard family != current else { return }
    guard !finished.contains(family) else { throw "samples of \(family) are not together" }
    if let current { finished.insert(current) }
    current = family
  }

  private static func nameAndRest(_ text: Substring) throws(ExpositionProblem) -> (String, Substring) {
    guard let space = text.firstIndex(of: " ") else { throw "no text after the name" }
    let name = String(text[..<space])
    guard ExpositionCursor.isMetricName(name) else { throw "bad metric name \(name)" }
    return (name, text[text.index(after: space)...])
  }

  private static func unescapeHelp(_ text: Substring) throws(ExpositionProblem) -> String {
    var cursor = ExpositionCursor(String(text))
    return try cursor.unescaped(until: nil, escapes: ["\\": "\\", "n": "\n"])
  }
}

/// The parser is itself checked: it reads valid text exactly and refuses each kind of fault.
struct MetricsTextParserTests {
  @Test func readsHelpTypeLabelsAndEscapes() throws {
    let text = """
      # HELP a_total Counts \\\\ things\\nover lines.
      # TYPE a_total counter
      a_total{x="q\\"u\\\\o\\nte",y="2",} 3 1700000000000
      # TYPE b gauge
      b -1.5e+3
      # TYPE h histogram
      h_bucket{le="+Inf"} 2
      h_sum 0.5
      h_count 2

      """
    let exposition = try Exposition.parse(text)
    #expect(exposition.help["a_total"] == "Counts \\ things\nover lines.")
    #expect(exposition.value("a_total", ["x": "q\"u\\o\nte", "y": "2"]) == 3)
    #expect(exposition.value("b") == -1_500)
    #expect(exposition.value("h_bucket", ["le": "+Inf"]) == 2)
  }

  @Test(arguments: [
    ("a 1\n", "line 1: a has no TYPE"),
    ("# TYPE a gauge\na 1", "line 0: no final line feed"),
    ("# TYPE a gauge\n\na 1\n", "line 2: blank line or free comment"),
    ("# just a comment\n", "line 1: blank line or free comment"),
    ("# TYPE a meter\na 1\n", "line 1: bad type meter"),
    ("# TYPE a gauge\n# TYPE a gauge\na 1\n", "line 2: second TYPE for a"),
    ("# TYPE a gauge\na 1\n# HELP a late\n", "line 3: a declared after its samples"),
    ("# TYPE 1a gauge\n1a 1\n", "line 1: bad metric name 1a"),
    ("# TYPE a gauge\na{1x=\"v\"} 1\n", "line 2: bad label name 1x"),
    ("# TYPE a gauge\na{__x=\"v\"} 1\n", "line 2: bad label name __x"),
    ("# TYPE a gauge\na{x=\"v\\t\"} 1\n", "line 2: bad escape \\t"),
    ("# TYPE a gauge\na{x=\"v} 1\n", "line 2: unterminated string"),
    ("# TYPE a gauge\na{x=\"v\",x=\"w\"} 1\n", "line 2: label x twice"),
    ("# TYPE a gauge\na{x=v} 1\n", "line 2: no =\" after x"),
    ("# TYPE a gauge\na{x=\"v\" y=\"w\"} 1\n", "line 2: no , or } after x"),
    ("# TYPE a gauge\na 1.2.3\n", "line 2: bad value 1.2.3"),
    ("# TYPE a gauge\na inf\n", "line 2: bad value inf"),
    ("# TYPE a gauge\na 1 soon\n", "line 2: bad timestamp"),
    ("# TYPE a gauge\na  1\n", "line 2: bad value "),
    ("# TYPE a gauge\na 1\na 2\n", "line 3: a[:] twice"),
    ("# TYPE a counter\na -1\n", "line 2: counter a is -1.0"),
    ("# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"y\"} 1\n", "line 5: samples of a are not together"),
    ("# HELP a bad \\t escape\n# TYPE a gauge\na 1\n", "line 1: bad escape \\t"),
  ])
  func refuses(_ text: String, because reason: String) {
    let failure = #expect(throws: Exposition.Failure.self) { try Exposition.parse(text) }
    #expect(failure?.description == reason)
  }
}
