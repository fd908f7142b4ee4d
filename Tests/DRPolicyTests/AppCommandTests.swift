import DRPolicy
import Testing

/// An app's `command:` becomes an argument vector: shell-like quoting, no shell, `${VAR}`
/// expanded per word (a value never splits a word), the stack's variables kept for start.
struct AppCommandTests {
  static let base = BadPolicyTests.base

  func app(_ command: String, environment: [String: String] = [:], extra: String = "") throws -> StackComponent {
    let yaml = Self.base + "stack:\n  app:\n    command: \(command)\n    port: 8000\n" + extra
    let policy = try PolicyLoader(environment: environment).parse(yaml: yaml, file: "policies/app.yaml")
    return try #require(policy.stack.component(named: "app"))
  }

  static let values = ["PORT": "8123", "DATABASE_URL": "postgresql://u:p@127.0.0.1:5/db", "MEMCACHED_SERVERS": "m:1"]

  /// (the YAML value of `command:`, the argument vector with `values` filled in)
  static let lines: [(String, [String])] = [
    ("\"gunicorn summit.wsgi --bind 127.0.0.1:$PORT\"", ["gunicorn", "summit.wsgi", "--bind", "127.0.0.1:8123"]),
    (
      "\"app --url=${DATABASE_URL} --cache \\\"$MEMCACHED_SERVERS\\\"\"",
      ["app", "--url=postgresql://u:p@127.0.0.1:5/db", "--cache", "m:1"]
    ),
    ("\"app 'a b' \\\"c d\\\" e\\\\ f ''\"", ["app", "a b", "c d", "e f", ""]),
    ("\"app 'it''s' \\\"say \\\\\\\"hi\\\\\\\"\\\"\"", ["app", "its", "say \"hi\""]),
    ("\"app 'x|y;z&<>' \\\"a;b\\\" \\\\; '$HOME' \\\\$HOME\"", ["app", "x|y;z&<>", "a;b", ";", "$HOME", "$HOME"]),
    ("\"  app\\t  two   \"", ["app", "two"]),
    ("\"app $${NOT} 100$\"", ["app", "${NOT}", "100$"]),
    (
      "[/bin/sh, -c, \"exec app --port $PORT; echo $HOME | cat\"]",
      ["/bin/sh", "-c", "exec app --port 8123; echo $HOME | cat"]
    ),
    ("[app, \"\", \"a b\", \"${PORT}\"]", ["app", "", "a b", "8123"]),
  ]

  @Test(arguments: lines)
  func commandLinesBecomeArgumentVectors(_ yaml: String, _ expected: [String]) throws {
    let command = try #require(try app(yaml).command)
    #expect(command.arguments(Self.values) == expected, "\(command)")
  }

  /// A variable's value is one word, whatever it holds; it is never read as quoting,
  /// operators or another variable.
  @Test func aValueFromTheEnvironmentStaysOneWord() throws {
    let hostile = "a b'; touch /tmp/x #$(touch /tmp/x) \"$PORT\" `id`"
    let environment = ["TAG": hostile, "DIR": "/opt/my app"]
    let command = try #require(try app("\"${DIR}/bin/app --tag ${TAG} '${TAG}'x\"", environment: environment).command)
    #expect(command.arguments(Self.values) == ["/opt/my app/bin/app", "--tag", hostile, hostile + "x"])
    let listed = try #require(try app("[app, \"--tag=${TAG}\"]", environment: environment).command)
    #expect(listed.arguments(Self.values) == ["app", "--tag=" + hostile])
  }

  @Test func theStacksVariablesAreLeftForStartTimeNotTakenFromTheEnvironment() throws {
    let command = try #require(
      try app("\"app ${PORT} $PORT ${MEMCACHED_SERVERS:-x}\"", environment: ["PORT": "1", "MEMCACHED_SERVERS": "2"])
        .command)
    #expect(command.arguments(["PORT": "9", "MEMCACHED_SERVERS": "c:3"]) == ["app", "9", "9", "c:3"])
    #expect(command.uses("PORT"))
    #expect(!command.uses("DATABASE_URL"))
    #expect(command.description == "app ${PORT} ${PORT} ${MEMCACHED_SERVERS}")
  }

  @Test func theEnvironmentIsAMapOfNamesToText() throws {
    let component = try app(
      "app", environment: ["MODE_SOURCE": "live"],
      extra: "    environment: {MODE: \"${MODE_SOURCE}\", GREETING: hello world, EMPTY: \"\", COUNT: 3}\n")
    #expect(component.environment == ["MODE": "live", "GREETING": "hello world", "EMPTY": "", "COUNT": "3"])
  }

  @Test func aRunningProcessIsMatchedByItsArguments() throws {
    let command = try #require(try app("\"gunicorn app --bind 127.0.0.1:$PORT --db $DATABASE_URL\"").command)
    let values = ["PORT": "8000"]
    #expect(command.matches(["/usr/bin/gunicorn", "app", "--bind", "127.0.0.1:8000", "--db", "any"], values: values))
    #expect(!command.matches(["/usr/bin/gunicorn", "app", "--bind", "127.0.0.1:8001", "--db", "any"], values: values))
    #expect(!command.matches(["sleep", "300"], values: values))
  }

  @Test func descriptionsQuoteWhatAShellWouldRead() throws {
    let command = try #require(try app("\"app 'a b' \\\"it's\\\" plain\"").command)
    #expect(command.description == "app 'a b' 'it'\\''s' plain")
  }
}
