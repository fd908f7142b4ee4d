import DRCore
import DRPolicy
import Foundation
import Testing

/// More malformed policies, and a check that every key of the policy file, and every kind
/// of mistake the issue names (missing, wrong type, out of range, unknown, bad cron, URL,
/// size, duration, unset `${VAR}`), has at least one refused case across both tables.
struct BadPolicyCoverageTests {
  typealias Case = BadPolicyTests.Case
  static let base = BadPolicyTests.base
  static func replacing(_ old: String, _ new: String) -> String { base.replacingOccurrences(of: old, with: new) }
  static func storage(_ inner: String) -> String { replacing("storage: {", "storage: {\(inner), ") }

  static let cases: [Case] = [
    Case(
      label: "profile as a list", yaml: storage("credentials: {profile: [a]}"), keyPath: "storage.credentials.profile",
      fragment: "got a list"),
    Case(
      label: "access key id empty", yaml: storage("credentials: {access_key_id: \"\", secret_access_key: s}"),
      keyPath: "storage.credentials.access_key_id", fragment: "got \"\""),
    Case(
      label: "session token empty",
      yaml: storage("credentials: {access_key_id: a, secret_access_key: s, session_token: \"\"}"),
      keyPath: "storage.credentials.session_token", fragment: "got \"\""),
    Case(
      label: "secret key from an unset variable",
      yaml: storage("credentials: {access_key_id: a, secret_access_key: \"${DR_TEST_SURELY_UNSET}\"}"),
      keyPath: "storage.credentials.secret_access_key", fragment: "is not set"),
    Case(
      label: "role arn that is not an ARN", yaml: storage("credentials: {role_arn: spare}"),
      keyPath: "storage.credentials.role_arn", fragment: "expected a role ARN like arn:aws:iam::123456789012:role/NAME"),
    Case(
      label: "role with keys beside it",
      yaml: storage("credentials: {role_arn: \"arn:aws:iam::1:role/r\", access_key_id: a, secret_access_key: s}"),
      keyPath: "storage.credentials", fragment: "access_key_id does not go with role_arn"),
    Case(
      label: "role option without a role", yaml: storage("credentials: {profile: p, external_id: x}"),
      keyPath: "storage.credentials", fragment: "external_id needs role_arn"),
    Case(
      label: "role source as a list", yaml: storage("credentials: {role_arn: \"arn:aws:iam::1:role/r\", source: [p]}"),
      keyPath: "storage.credentials.source", fragment: "expected a mapping"),
    Case(
      label: "role source and web identity",
      yaml: storage(
        "credentials: {role_arn: \"arn:aws:iam::1:role/r\", source: {profile: p}, web_identity_token_file: /t}"),
      keyPath: "storage.credentials", fragment: "not both"),
    Case(
      label: "web identity token file empty",
      yaml: storage("credentials: {role_arn: \"arn:aws:iam::1:role/r\", web_identity_token_file: \"\"}"),
      keyPath: "storage.credentials.web_identity_token_file", fragment: "got \"\""),
    Case(
      label: "external id empty",
      yaml: storage("credentials: {role_arn: \"arn:aws:iam::1:role/r\", external_id: \"\"}"),
      keyPath: "storage.credentials.external_id", fragment: "got \"\""),
    Case(
      label: "role session name with a space",
      yaml: storage("credentials: {role_arn: \"arn:aws:iam::1:role/r\", role_session_name: \"a b\"}"),
      keyPath: "storage.credentials.role_session_name", fragment: "expected 2 to 64 of letters"),
    Case(
      label: "role duration too short",
      yaml: storage("credentials: {role_arn: \"arn:aws:iam::1:role/r\", duration_seconds: 60}"),
      keyPath: "storage.credentials.duration_seconds", fragment: "from 900 to 43200, got 60"),
    Case(
      label: "environment role source unknown key",
      yaml: base
        + "environments: {failover: {credentials: {role_arn: \"arn:aws:iam::1:role/r\", source: {profil: p}}}}\n",
      keyPath: "environments.failover.credentials.source.profil", fragment: "did you mean 'profile'"),
    Case(
      label: "ca bundle empty", yaml: storage("ca_bundle: \"\""), keyPath: "storage.ca_bundle", fragment: "got \"\""),
    Case(
      label: "ca bundle as a list", yaml: storage("ca_bundle: [a]"), keyPath: "storage.ca_bundle",
      fragment: "got a list"),
    Case(
      label: "max rate without /s", yaml: storage("max_rate: 50MiB"), keyPath: "storage.max_rate",
      fragment: "expected a rate such as 50MiB/s"),
    Case(
      label: "max rate with an unknown unit", yaml: storage("max_rate: 50Mb/s"), keyPath: "storage.max_rate",
      fragment: "got \"50Mb/s\""),
    Case(
      label: "max rate zero", yaml: storage("max_rate: 0MiB/s"), keyPath: "storage.max_rate",
      fragment: "expected a rate"),
    Case(
      label: "max rate below 1KiB/s", yaml: storage("max_rate: 100B/s"), keyPath: "storage.max_rate",
      fragment: "at least 1KiB/s"),
    Case(
      label: "endpoint port out of range", yaml: storage("endpoint: \"http://127.0.0.1:99999\""),
      keyPath: "storage.endpoint", fragment: "port from 1 to 65535"),
    Case(
      label: "endpoint port not a number", yaml: storage("endpoint: \"http://h:http/\""), keyPath: "storage.endpoint",
      fragment: "port from 1 to 65535"),
    Case(
      label: "endpoint from an unset variable", yaml: storage("endpoint: \"${DR_TEST_SURELY_UNSET}\""),
      keyPath: "storage.endpoint", fragment: "is not set"),
    Case(
      label: "bucket with underscore", yaml: replacing("s3://bucket-1/p/", "s3://bucket_1/p/"), keyPath: "storage.url",
      fragment: "lowercase letters, digits"),
    Case(
      label: "storage as a list",
      yaml: replacing("storage: {url: \"s3://bucket-1/p/\"}", "storage: [s3://bucket-1/p/]"),
      keyPath: "storage", fragment: "expected a mapping"),
    Case(
      label: "database url with a space", yaml: replacing("127.0.0.1:5432", "bad host:5432"), keyPath: "database.url",
      fragment: "libpq URI"),
    Case(
      label: "name from an unset variable", yaml: replacing("name: t", "name: \"${DR_TEST_SURELY_UNSET}\""),
      keyPath: "name",
      fragment: "is not set"),
    Case(
      label: "backup as a single value", yaml: base + "backup: nightly\n", keyPath: "backup",
      fragment: "expected a mapping"),
    Case(
      label: "compression as a single value", yaml: base + "backup: {compression: bzip2}\n",
      keyPath: "backup.compression",
      fragment: "expected a mapping"),
    Case(
      label: "compression unknown key", yaml: base + "backup: {compression: {lvl: 3}}\n",
      keyPath: "backup.compression.lvl",
      fragment: "did you mean 'level'"),
    Case(
      label: "threads out of range", yaml: base + "backup: {compression: {threads: 300}}\n",
      keyPath: "backup.compression.threads", fragment: "from 1 to 256"),
    Case(
      label: "threads as text", yaml: base + "backup: {compression: {threads: many}}\n",
      keyPath: "backup.compression.threads", fragment: "got \"many\""),
    Case(
      label: "encryption as a single value", yaml: base + "backup: {encryption: /etc/key}\n",
      keyPath: "backup.encryption",
      fragment: "expected a mapping"),
    Case(
      label: "key file empty", yaml: base + "backup: {encryption: {key_file: \"\"}}\n",
      keyPath: "backup.encryption.key_file",
      fragment: "got \"\""),
    Case(
      label: "cron of six fields", yaml: base + "verify: {schedule: \"*/5 * * * * *\"}\n", keyPath: "verify.schedule",
      fragment: "expected 5 fields, found 6"),
    Case(
      label: "cron weekday 8", yaml: base + "backup: {schedule: \"0 0 * * 8\"}\n", keyPath: "backup.schedule",
      fragment: "day of week: 8 is outside"),
    Case(
      label: "cron that never fires", yaml: base + "backup: {schedule: \"0 0 31 2 *\"}\n", keyPath: "backup.schedule",
      fragment: "never fires"),
    Case(
      label: "cron that never fires in spring", yaml: base + "verify: {schedule: \"0 0 31 4,6 *\"}\n",
      keyPath: "verify.schedule", fragment: "never fires"),
    Case(
      label: "retention as a list", yaml: base + "retention: [1, 2]\n", keyPath: "retention", fragment: "got a list"),
    Case(
      label: "monthly out of range", yaml: base + "retention: {monthly: 10001}\n", keyPath: "retention.monthly",
      fragment: "from 0 to 10000"),
    Case(
      label: "lock as a single value", yaml: base + "retention: {lock: governance}\n", keyPath: "retention.lock",
      fragment: "expected a mapping"),
    Case(
      label: "lock days zero", yaml: base + "retention: {lock: {mode: governance, days: 0}}\n",
      keyPath: "retention.lock.days", fragment: "from 1 to 36500"),
    Case(
      label: "lock unknown key", yaml: base + "retention: {lock: {mode: governance, days: 7, extend: true}}\n",
      keyPath: "retention.lock.extend", fragment: "unknown key"),
    Case(
      label: "verify as a single value", yaml: base + "verify: true\n", keyPath: "verify",
      fragment: "expected a mapping"),
    Case(
      label: "check without a name", yaml: base + "verify: {checks: [{sql: \"select true\"}]}\n",
      keyPath: "verify.checks[0].name", fragment: "missing"),
    Case(
      label: "check with an unknown key", yaml: base + "verify: {checks: [{name: a, sql: x, timeout: 5}]}\n",
      keyPath: "verify.checks[0].timeout", fragment: "unknown key"),
    Case(
      label: "max_age negative", yaml: base + "verify: {max_age: -1h}\n", keyPath: "verify.max_age",
      fragment: "duration"),
    Case(
      label: "max_age zero", yaml: base + "verify: {max_age: 0s}\n", keyPath: "verify.max_age", fragment: "duration"),
    Case(
      label: "scratch local with a scratch_url",
      yaml: base + "verify: {scratch: local, scratch_url: \"postgresql://u@h/db\"}\n",
      keyPath: "verify.scratch", fragment: "exclude each other"),
    Case(
      label: "notify as a single value", yaml: base + "notify: https://h/x\n", keyPath: "notify",
      fragment: "expected a mapping"),
    Case(
      label: "notify on as a single value", yaml: base + "notify: {webhook: \"https://h/x\", on: failure}\n",
      keyPath: "notify.on", fragment: "expected a list"),
    Case(
      label: "notify unknown key", yaml: base + "notify: {webhook: \"https://h/x\", retries: 3}\n",
      keyPath: "notify.retries",
      fragment: "unknown key"),
    Case(
      label: "webhook with a space", yaml: base + "notify: {webhook: \"https://h x/\"}\n", keyPath: "notify.webhook",
      fragment: "http://"),
    Case(label: "stack as a list", yaml: base + "stack: [postgresql]\n", keyPath: "stack", fragment: "got a list"),
    Case(
      label: "component name with capitals", yaml: base + "stack: {App: {command: x, port: 1}}\n", keyPath: "stack.App",
      fragment: "lowercase"),
    Case(
      label: "memory too small", yaml: base + "stack: {memcached: {port: 1, memory_mb: 4}}\n",
      keyPath: "stack.memcached.memory_mb", fragment: "from 8 to 1048576"),
    Case(
      label: "memory with a unit", yaml: base + "stack: {memcached: {port: 1, memory_mb: 64MB}}\n",
      keyPath: "stack.memcached.memory_mb", fragment: "got \"64MB\""),
    Case(
      label: "port from an unset variable", yaml: base + "stack: {postgresql: {port: \"${DR_TEST_SURELY_UNSET}\"}}\n",
      keyPath: "stack.postgresql.port", fragment: "is not set"),
    Case(
      label: "port as text", yaml: base + "stack: {postgresql: {port: http}}\n", keyPath: "stack.postgresql.port",
      fragment: "got \"http\""),
    Case(
      label: "health empty", yaml: base + "stack: {app: {command: x, port: 1, health: \"\"}}\n",
      keyPath: "stack.app.health",
      fragment: "got \"\""),
    Case(
      label: "environments as a list", yaml: base + "environments: [failover]\n", keyPath: "environments",
      fragment: "got a list"),
    Case(
      label: "environment credentials both forms",
      yaml: base + "environments: {failover: {credentials: {profile: p, access_key_id: a, secret_access_key: s}}}\n",
      keyPath: "environments.failover.credentials", fragment: "not both"),
    Case(
      label: "environment storage as a single value", yaml: base + "environments: {failover: {storage: s3://x/}}\n",
      keyPath: "environments.failover.storage", fragment: "expected a mapping"),
    Case(
      label: "environment stack as a list",
      yaml: base + "stack: {postgresql: {port: 1}}\nenvironments: {failover: {stack: [postgresql]}}\n",
      keyPath: "environments.failover.stack", fragment: "got a list"),
    Case(
      label: "environment port zero",
      yaml: base + "stack: {postgresql: {port: 1}}\nenvironments: {failover: {stack: {postgresql: {port: 0}}}}\n",
      keyPath: "environments.failover.stack.postgresql.port", fragment: "from 1 to 65535"),
    Case(
      label: "environment encryption without key file", yaml: base + "environments: {failover: {encryption: {}}}\n",
      keyPath: "environments.failover.encryption.key_file", fragment: "missing"),
    Case(
      label: "environment encryption unknown key",
      yaml: base + "environments: {failover: {encryption: {key_file: k, algorithm: aes}}}\n",
      keyPath: "environments.failover.encryption.algorithm", fragment: "unknown key"),
    Case(
      label: "driver as a list", yaml: base + "environments: {failover: {driver: [local]}}\n",
      keyPath: "environments.failover.driver", fragment: "got a list"),
    Case(
      label: "command with a pipe", yaml: app("command: \"app | tee log\""), keyPath: "stack.app.command",
      fragment: "'|' is a shell operator"),
    Case(
      label: "command with a semicolon", yaml: app("command: \"app; rm -rf /\""), keyPath: "stack.app.command",
      fragment: "command: [/bin/sh, -c"),
    Case(
      label: "command with &&", yaml: app("command: \"app && other\""), keyPath: "stack.app.command",
      fragment: "'&' is a shell operator"),
    Case(
      label: "command with a redirection", yaml: app("command: \"app >log\""), keyPath: "stack.app.command",
      fragment: "'>' is a shell operator"),
    Case(
      label: "command with an input redirection", yaml: app("command: \"app < in\""), keyPath: "stack.app.command",
      fragment: "'<' is a shell operator"),
    Case(
      label: "command with backquotes", yaml: app("command: \"app `id`\""), keyPath: "stack.app.command",
      fragment: "'`' is a shell operator"),
    Case(
      label: "command with $(", yaml: app("command: \"app $(id)\""), keyPath: "stack.app.command",
      fragment: "'$(' is a command substitution"),
    Case(
      label: "command with $( in double quotes", yaml: app("command: 'app \"$(id)\"'"), keyPath: "stack.app.command",
      fragment: "'$(' is a command substitution"),
    Case(
      label: "command with a shell variable", yaml: app("command: \"app --home $HOME\""), keyPath: "stack.app.command",
      fragment: "$HOME is not substituted"),
    Case(
      label: "command with an open quote", yaml: app("command: \"app 'a b\""), keyPath: "stack.app.command",
      fragment: "single quote is not closed"),
    Case(
      label: "command with a comment", yaml: app("command: \"app #x\""), keyPath: "stack.app.command",
      fragment: "comment"),
    Case(
      label: "command from an unset variable", yaml: app("command: \"app ${DR_TEST_SURELY_UNSET}\""),
      keyPath: "stack.app.command", fragment: "is not set"),
    Case(
      label: "command as an empty list", yaml: app("command: []"), keyPath: "stack.app.command",
      fragment: "its program written out first"),
    Case(
      label: "command starting with $PORT", yaml: app("command: \"$PORT app\""), keyPath: "stack.app.command",
      fragment: "its program written out first"),
    Case(
      label: "command word as a mapping", yaml: app("command: [app, {a: b}]"), keyPath: "stack.app.command[1]",
      fragment: "got a mapping"),
    Case(
      label: "command word from an unset variable", yaml: app("command: [app, \"${DR_TEST_SURELY_UNSET}\"]"),
      keyPath: "stack.app.command[1]", fragment: "is not set"),
    Case(
      label: "environment as a list", yaml: app("command: app, environment: [A]"), keyPath: "stack.app.environment",
      fragment: "expected a mapping"),
    Case(
      label: "environment name not a variable name", yaml: app("command: app, environment: {1X: a}"),
      keyPath: "stack.app.environment.1X", fragment: "variable name"),
    Case(
      label: "environment name with a dash", yaml: app("command: app, environment: {MY-VAR: a}"),
      keyPath: "stack.app.environment.MY-VAR", fragment: "variable name"),
    Case(
      label: "environment sets PORT", yaml: app("command: app, environment: {PORT: \"1\"}"),
      keyPath: "stack.app.environment.PORT", fragment: "set by the stack"),
    Case(
      label: "environment sets DATABASE_URL", yaml: app("command: app, environment: {DATABASE_URL: x}"),
      keyPath: "stack.app.environment.DATABASE_URL", fragment: "set by the stack"),
    Case(
      label: "environment value as a list", yaml: app("command: app, environment: {A: [x]}"),
      keyPath: "stack.app.environment.A", fragment: "got a list"),
    Case(
      label: "environment value empty", yaml: app("command: app, environment: {A: }"),
      keyPath: "stack.app.environment.A", fragment: "got an empty value"),
    Case(
      label: "environment value from an unset variable",
      yaml: app("command: app, environment: {A: \"${DR_TEST_SURELY_UNSET}\"}"), keyPath: "stack.app.environment.A",
      fragment: "is not set"),
    Case(
      label: "environment on postgresql", yaml: base + "stack: {postgresql: {port: 1, environment: {A: b}}}\n",
      keyPath: "stack.postgresql.environment", fragment: "unknown key"),
    Case(
      label: "databases a single name", yaml: replacing("/db\"}", "/db\", databases: summit}"),
      keyPath: "database.databases", fragment: "expected all, or a list of database names"),
    Case(
      label: "databases an empty list", yaml: replacing("/db\"}", "/db\", databases: []}"),
      keyPath: "database.databases", fragment: "got an empty list"),
    Case(
      label: "databases as a mapping", yaml: replacing("/db\"}", "/db\", databases: {a: b}}"),
      keyPath: "database.databases", fragment: "expected a list"),
    Case(
      label: "database listed twice", yaml: replacing("/db\"}", "/db\", databases: [db, a, db]}"),
      keyPath: "database.databases[2]", fragment: "listed twice"),
    Case(
      label: "database name too long",
      yaml: replacing("/db\"}", "/db\", databases: [\(String(repeating: "x", count: 64))]}"),
      keyPath: "database.databases[0]", fragment: "at most 63 bytes"),
    Case(
      label: "database name empty", yaml: replacing("/db\"}", "/db\", databases: [\"\"]}"),
      keyPath: "database.databases[0]", fragment: "got \"\""),
    Case(
      label: "check in a database not listed",
      yaml: replacing("/db\"}", "/db\", databases: [db, billing]}")
        + "verify: {checks: [{name: c, sql: \"select true\", database: summit}]}\n",
      keyPath: "verify.checks[0].database", fragment: "database \"summit\" is not backed up"),
    Case(
      label: "check in another database than the URL's",
      yaml: base + "verify: {checks: [{name: c, sql: \"select true\", database: billing}]}\n",
      keyPath: "verify.checks[0].database", fragment: "the database of database.url is \"db\""),
    Case(
      label: "check database empty",
      yaml: base + "verify: {checks: [{name: c, sql: \"select true\", database: \"\"}]}\n",
      keyPath: "verify.checks[0].database", fragment: "got \"\""),
  ]

  /// A policy whose stack is one app with `keys` (and port 8000).
  static func app(_ keys: String) -> String { base + "stack: {app: {port: 8000, \(keys)}}\n" }

  @Test(arguments: cases)
  func refused(_ testCase: Case) throws {
    let loader = PolicyLoader(environment: ["HOME": "/root"])
    let error = #expect(throws: PolicyError.self) {
      try loader.parse(yaml: testCase.yaml, file: "policies/bad.yaml")
    }
    let description = error?.description ?? ""
    #expect(error?.keyPath == testCase.keyPath, "\(description)")
    #expect(description.contains(testCase.fragment), "\(description)")
    #expect(description.hasPrefix("policies/bad.yaml"), "\(description)")
    #expect(error?.exitStatus.rawValue == 2)
  }

  static var allCases: [Case] { BadPolicyTests.cases + cases }

  /// Key paths with list indexes and the names of stack components and environments
  /// folded (`stack.*.port`), as the schema below writes them.
  static func normalized(_ keyPath: String) -> String {
    var parts = keyPath.replacing(#/\[\d+\]/#, with: "[]").split(separator: ".").map(String.init)
    for index in parts.indices where index > 0 && ["stack", "environments"].contains(parts[index - 1]) {
      parts[index] = "*"
    }
    return parts.joined(separator: ".")
  }

  /// Every key the policy reader knows (`Sources/DRPolicy/*+Parsing.swift`).
  static let schema = [
    "name", "database", "database.url", "database.databases", "database.databases[]", "storage", "storage.url",
    "storage.region", "storage.endpoint",
    "storage.addressing", "storage.credentials", "storage.credentials.profile", "storage.credentials.access_key_id",
    "storage.credentials.secret_access_key", "storage.credentials.session_token", "storage.credentials.role_arn",
    "storage.credentials.source", "storage.credentials.web_identity_token_file", "storage.credentials.external_id",
    "storage.credentials.role_session_name", "storage.credentials.duration_seconds", "storage.storage_class",
    "storage.server_side_encryption", "storage.kms_key_id", "storage.ca_bundle", "storage.max_rate", "storage.copies",
    "storage.copies[].url", "backup", "backup.schedule", "backup.compression", "backup.compression.codec",
    "backup.compression.level", "backup.compression.threads", "backup.globals", "backup.encryption",
    "backup.encryption.key_file", "backup.encryption.decryption_keys", "retention", "retention.keep_last",
    "retention.daily", "retention.weekly", "retention.monthly", "retention.lock", "retention.lock.mode",
    "retention.lock.days", "verify", "verify.schedule", "verify.scratch", "verify.scratch_url", "verify.row_counts",
    "verify.checks", "verify.checks[].name", "verify.checks[].sql", "verify.checks[].database", "verify.max_age",
    "notify", "notify.webhook",
    "notify.on", "notify.on[]", "notify.secret", "stack", "stack.*", "stack.*.port", "stack.*.needs",
    "stack.*.command", "stack.*.command[]", "stack.*.environment", "stack.*.health", "stack.*.backends",
    "stack.*.memory_mb", "environments", "environments.*",
    "environments.*.credentials", "environments.*.storage", "environments.*.storage.url", "environments.*.driver",
    "environments.*.stack", "environments.*.stack.*", "environments.*.stack.*.port",
    "environments.*.encryption.key_file",
  ]

  @Test func everyKeyHasABadCase() {
    let covered = Set(Self.allCases.map { Self.normalized($0.keyPath) })
    let missing = Self.schema.filter { !covered.contains($0) }
    #expect(missing.isEmpty, "keys without a malformed case: \(missing)")
  }

  @Test func everyKindOfMistakeHasCases() {
    let kinds: [String: (Case) -> Bool] = [
      "missing": { $0.fragment == "missing" },
      "wrong type": {
        ["got a list", "expected a mapping", "expected a list", "true or false"].contains(where: $0.fragment.contains)
          || $0.fragment.hasPrefix("got \"")
      },
      "out of range": { $0.fragment.contains("from ") || $0.fragment.contains("is outside") },
      "unknown key": { $0.fragment.contains("unknown key") || $0.fragment.contains("did you mean") },
      "bad cron": { $0.keyPath.hasSuffix("schedule") },
      "bad URL": { testCase in ["url", "endpoint", "webhook"].contains { testCase.keyPath.hasSuffix($0) } },
      "bad size": { $0.keyPath.hasSuffix("memory_mb") },
      "bad duration": { $0.keyPath.hasSuffix("max_age") },
      "unset ${VAR}": { $0.fragment.contains("is not set") },
    ]
    for (kind, matches) in kinds {
      #expect(Self.allCases.filter(matches).count >= 2, "too few cases of \(kind)")
    }
    #expect(Self.allCases.count >= 130)
  }
}
