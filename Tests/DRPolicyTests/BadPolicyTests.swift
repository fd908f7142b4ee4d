import DRCore
import DRPolicy
import Foundation
import Testing

/// Malformed policies: each must be refused with the key path and what was expected.
struct BadPolicyTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let label: String
    let yaml: String
    let keyPath: String
    let fragment: String
    var testDescription: String { label }
  }

  static let base = """
    name: t
    database: {url: "postgresql://u@127.0.0.1:5432/db"}
    storage: {url: "s3://bucket-1/p/"}

    """

  static func replacing(_ old: String, _ new: String) -> String { base.replacingOccurrences(of: old, with: new) }

  static let cases: [Case] = [
    Case(
      label: "unknown top-level key", yaml: base + "storag: {}\n", keyPath: "storag", fragment: "did you mean 'storage'"
    ),
    Case(
      label: "unknown nested key", yaml: replacing("storage: {", "storage: {regoin: x, "), keyPath: "storage.regoin",
      fragment: "unknown key"),
    Case(label: "missing name", yaml: replacing("name: t\n", ""), keyPath: "name", fragment: "missing"),
    Case(
      label: "name with capitals", yaml: replacing("name: t", "name: Summit"), keyPath: "name", fragment: "lowercase"),
    Case(
      label: "name with underscore", yaml: replacing("name: t", "name: a_b"), keyPath: "name", fragment: "lowercase"),
    Case(label: "name as a list", yaml: replacing("name: t", "name: [a]"), keyPath: "name", fragment: "got a list"),
    Case(
      label: "missing database", yaml: replacing("database: {url: \"postgresql://u@127.0.0.1:5432/db\"}\n", ""),
      keyPath: "database", fragment: "missing"),
    Case(
      label: "database not a mapping",
      yaml: replacing("database: {url: \"postgresql://u@127.0.0.1:5432/db\"}", "database: x"), keyPath: "database",
      fragment: "expected a mapping"),
    Case(
      label: "database url not postgres", yaml: replacing("postgresql://u@127.0.0.1:5432/db", "mysql://u@h/db"),
      keyPath: "database.url", fragment: "libpq URI"),
    Case(
      label: "database url empty", yaml: replacing("\"postgresql://u@127.0.0.1:5432/db\"", "\"\""),
      keyPath: "database.url", fragment: "expected"),
    Case(
      label: "database url missing", yaml: replacing("{url: \"postgresql://u@127.0.0.1:5432/db\"}", "{}"),
      keyPath: "database.url", fragment: "missing"),
    Case(
      label: "unset variable", yaml: replacing("postgresql://u@127.0.0.1:5432/db", "${DR_TEST_SURELY_UNSET}"),
      keyPath: "database.url", fragment: "${DR_TEST_SURELY_UNSET} is not set"),
    Case(
      label: "unterminated variable", yaml: replacing("postgresql://u@127.0.0.1:5432/db", "postgresql://${HOST"),
      keyPath: "database.url", fragment: "closing }"),
    Case(
      label: "bad variable name", yaml: replacing("postgresql://u@127.0.0.1:5432/db", "${1X}"), keyPath: "database.url",
      fragment: "not a variable name"),
    Case(
      label: "missing storage", yaml: replacing("storage: {url: \"s3://bucket-1/p/\"}\n", ""), keyPath: "storage",
      fragment: "missing"),
    Case(
      label: "storage url http", yaml: replacing("s3://bucket-1/p/", "http://bucket-1/p/"), keyPath: "storage.url",
      fragment: "s3://"),
    Case(
      label: "storage url no bucket", yaml: replacing("s3://bucket-1/p/", "s3:///p/"), keyPath: "storage.url",
      fragment: "no bucket"),
    Case(
      label: "bucket too short", yaml: replacing("s3://bucket-1/p/", "s3://ab/p/"), keyPath: "storage.url",
      fragment: "3 to 63"),
    Case(
      label: "bucket uppercase", yaml: replacing("s3://bucket-1/p/", "s3://Bucket/p/"), keyPath: "storage.url",
      fragment: "lowercase"),
    Case(
      label: "prefix with dot-dot", yaml: replacing("s3://bucket-1/p/", "s3://bucket-1/a/../b/"),
      keyPath: "storage.url", fragment: ".."),
    Case(
      label: "prefix with empty segment", yaml: replacing("s3://bucket-1/p/", "s3://bucket-1/a//b/"),
      keyPath: "storage.url", fragment: "//"),
    Case(
      label: "storage url missing",
      yaml: replacing("storage: {url: \"s3://bucket-1/p/\"}", "storage: {region: us-east-1}"), keyPath: "storage.url",
      fragment: "missing"),
    Case(
      label: "endpoint not http", yaml: replacing("storage: {", "storage: {endpoint: \"ftp://x\", "),
      keyPath: "storage.endpoint", fragment: "http://"),
    Case(
      label: "endpoint without host", yaml: replacing("storage: {", "storage: {endpoint: \"http://\", "),
      keyPath: "storage.endpoint", fragment: "with a host"),
    Case(
      label: "addressing unknown", yaml: replacing("storage: {", "storage: {addressing: dns, "),
      keyPath: "storage.addressing", fragment: "path, virtual"),
    Case(
      label: "region empty", yaml: replacing("storage: {", "storage: {region: \"\", "), keyPath: "storage.region",
      fragment: "expected a region"),
    Case(
      label: "storage class unknown", yaml: replacing("storage: {", "storage: {storage_class: COLD, "),
      keyPath: "storage.storage_class", fragment: "STANDARD_IA"),
    Case(
      label: "sse unknown", yaml: replacing("storage: {", "storage: {server_side_encryption: AES128, "),
      keyPath: "storage.server_side_encryption", fragment: "AES256 or aws:kms"),
    Case(
      label: "kms key without kms", yaml: replacing("storage: {", "storage: {kms_key_id: k, "),
      keyPath: "storage.kms_key_id", fragment: "aws:kms"),
    Case(
      label: "credentials both forms",
      yaml: replacing("storage: {", "storage: {credentials: {profile: p, access_key_id: a, secret_access_key: s}, "),
      keyPath: "storage.credentials", fragment: "not both"),
    Case(
      label: "credentials key without secret",
      yaml: replacing("storage: {", "storage: {credentials: {access_key_id: a}, "),
      keyPath: "storage.credentials.secret_access_key", fragment: "missing"),
    Case(
      label: "credentials empty", yaml: replacing("storage: {", "storage: {credentials: {}, "),
      keyPath: "storage.credentials", fragment: "profile"),
    Case(
      label: "copies not a list", yaml: replacing("storage: {", "storage: {copies: {url: \"s3://bucket-2/\"}, "),
      keyPath: "storage.copies", fragment: "expected a list"),
    Case(
      label: "copy without url", yaml: replacing("storage: {", "storage: {copies: [{region: x}], "),
      keyPath: "storage.copies[0].url", fragment: "missing"),
    Case(
      label: "copy with copies",
      yaml: replacing("storage: {", "storage: {copies: [{url: \"s3://bucket-2/\", copies: []}], "),
      keyPath: "storage.copies[0].copies", fragment: "unknown key"),
    Case(
      label: "bad cron field count", yaml: base + "backup: {schedule: \"0 * * *\"}\n", keyPath: "backup.schedule",
      fragment: "expected 5 fields"),
    Case(
      label: "bad cron minute", yaml: base + "backup: {schedule: \"61 * * * *\"}\n", keyPath: "backup.schedule",
      fragment: "minute: 61 is outside"),
    Case(
      label: "bad cron step", yaml: base + "backup: {schedule: \"*/0 * * * *\"}\n", keyPath: "backup.schedule",
      fragment: "step"),
    Case(
      label: "bad cron name", yaml: base + "backup: {schedule: \"0 0 * foo *\"}\n", keyPath: "backup.schedule",
      fragment: "month"),
    Case(
      label: "bad cron macro", yaml: base + "backup: {schedule: \"@sometimes\"}\n", keyPath: "backup.schedule",
      fragment: "unknown macro"),
    Case(
      label: "backwards cron range", yaml: base + "verify: {schedule: \"0 5-2 * * *\"}\n", keyPath: "verify.schedule",
      fragment: "backwards"),
    Case(
      label: "codec unknown", yaml: base + "backup: {compression: {codec: xz}}\n", keyPath: "backup.compression.codec",
      fragment: "expected one of bzip2, zstd, none, got \"xz\""),
    Case(
      label: "codec not built", yaml: base + "backup: {compression: {codec: gzip, level: 6}}\n",
      keyPath: "backup.compression.codec", fragment: "gzip is not built into dr; use zstd"),
    Case(
      label: "zstd level out of range", yaml: base + "backup: {compression: {codec: zstd, level: 20}}\n",
      keyPath: "backup.compression.level", fragment: "from 1 to 19"),
    Case(
      label: "encoder with zstd", yaml: base + "backup: {compression: {codec: zstd, encoder: lbzip2}}\n",
      keyPath: "backup.compression.encoder", fragment: "applies to codec bzip2 only, not zstd"),
    Case(
      label: "encoder with none", yaml: base + "backup: {compression: {codec: none, encoder: auto}}\n",
      keyPath: "backup.compression.encoder", fragment: "applies to codec bzip2 only, not none"),
    Case(
      label: "encoder unknown", yaml: base + "backup: {compression: {encoder: pbzip2}}\n",
      keyPath: "backup.compression.encoder", fragment: "expected one of auto, libbz2, lbzip2, got \"pbzip2\""),
    Case(
      label: "level out of range", yaml: base + "backup: {compression: {codec: bzip2, level: 12}}\n",
      keyPath: "backup.compression.level", fragment: "from 1 to 9"),
    Case(
      label: "level not a number", yaml: base + "backup: {compression: {level: high}}\n",
      keyPath: "backup.compression.level", fragment: "got \"high\""),
    Case(
      label: "threads zero", yaml: base + "backup: {compression: {threads: 0}}\n",
      keyPath: "backup.compression.threads", fragment: "from 1 to 256"),
    Case(
      label: "globals not bool", yaml: base + "backup: {globals: maybe}\n", keyPath: "backup.globals",
      fragment: "true or false"),
    Case(
      label: "encryption without key file", yaml: base + "backup: {encryption: {decryption_keys: []}}\n",
      keyPath: "backup.encryption.key_file", fragment: "missing"),
    Case(
      label: "decryption keys not a list", yaml: base + "backup: {encryption: {key_file: /k, decryption_keys: /old}}\n",
      keyPath: "backup.encryption.decryption_keys", fragment: "expected a list"),
    Case(
      label: "encryption with two sources", yaml: base + "backup: {encryption: {key_file: /k, passphrase_file: /p}}\n",
      keyPath: "backup.encryption", fragment: "not key_file and passphrase_file"),
    Case(
      label: "encryption key not a key", yaml: base + "backup: {encryption: {key: not-a-key-at-all}}\n",
      keyPath: "backup.encryption.key", fragment: "64 hex digits or the base64 of 32 bytes (got a value of 16"),
    Case(
      label: "encryption passphrase too short", yaml: base + "backup: {encryption: {passphrase: short}}\n",
      keyPath: "backup.encryption.passphrase", fragment: "at least 8 characters"),
    Case(
      label: "environment encryption unknown key",
      yaml: base + "environments: {failover: {encryption: {keyfile: /k}}}\n",
      keyPath: "environments.failover.encryption.keyfile", fragment: "did you mean 'key_file'"),
    Case(
      label: "keep_last zero", yaml: base + "retention: {keep_last: 0}\n", keyPath: "retention.keep_last",
      fragment: "from 1"),
    Case(
      label: "daily negative", yaml: base + "retention: {daily: -1}\n", keyPath: "retention.daily", fragment: "from 0"),
    Case(
      label: "weekly as text", yaml: base + "retention: {weekly: four}\n", keyPath: "retention.weekly",
      fragment: "got \"four\""),
    Case(
      label: "lock mode unknown", yaml: base + "retention: {lock: {mode: strict, days: 3}}\n",
      keyPath: "retention.lock.mode", fragment: "governance, compliance"),
    Case(
      label: "lock without days", yaml: base + "retention: {lock: {mode: governance}}\n",
      keyPath: "retention.lock.days", fragment: "missing"),
    Case(
      label: "scratch unknown", yaml: base + "verify: {scratch: docker}\n", keyPath: "verify.scratch", fragment: "local"
    ),
    Case(
      label: "scratch url without url", yaml: base + "verify: {scratch: url}\n", keyPath: "verify.scratch",
      fragment: "scratch_url"),
    Case(
      label: "scratch url not postgres", yaml: base + "verify: {scratch_url: \"http://x\"}\n",
      keyPath: "verify.scratch_url", fragment: "libpq URI"),
    Case(
      label: "row counts unknown", yaml: base + "verify: {row_counts: approximate}\n", keyPath: "verify.row_counts",
      fragment: "exact, off"),
    Case(
      label: "check without sql", yaml: base + "verify: {checks: [{name: a}]}\n", keyPath: "verify.checks[0].sql",
      fragment: "missing"),
    Case(
      label: "duplicate check names", yaml: base + "verify: {checks: [{name: a, sql: x}, {name: a, sql: y}]}\n",
      keyPath: "verify.checks[1]", fragment: "two checks"),
    Case(
      label: "checks not a list", yaml: base + "verify: {checks: {name: a, sql: x}}\n", keyPath: "verify.checks",
      fragment: "expected a list"),
    Case(
      label: "max_age without unit", yaml: base + "verify: {max_age: 26}\n", keyPath: "verify.max_age",
      fragment: "duration"),
    Case(
      label: "max_age unknown unit", yaml: base + "verify: {max_age: 2y}\n", keyPath: "verify.max_age",
      fragment: "duration"),
    Case(
      label: "webhook missing", yaml: base + "notify: {on: [failure]}\n", keyPath: "notify.webhook", fragment: "missing"
    ),
    Case(
      label: "webhook not a URL", yaml: base + "notify: {webhook: hooks.example.com}\n", keyPath: "notify.webhook",
      fragment: "http://"),
    Case(
      label: "notify on unknown", yaml: base + "notify: {webhook: \"https://h/x\", on: [always]}\n",
      keyPath: "notify.on[0]", fragment: "failure, success"),
    Case(
      label: "secret from unset variable",
      yaml: base + "notify: {webhook: \"https://h/x\", secret: \"${DR_TEST_SURELY_UNSET}\"}\n",
      keyPath: "notify.secret", fragment: "is not set"),
    Case(
      label: "app without command", yaml: base + "stack: {app: {port: 8000}}\n", keyPath: "stack.app",
      fragment: "command"),
    Case(
      label: "port out of range", yaml: base + "stack: {postgresql: {port: 70000}}\n", keyPath: "stack.postgresql.port",
      fragment: "from 1 to 65535"),
    Case(
      label: "port missing", yaml: base + "stack: {memcached: {}}\n", keyPath: "stack.memcached.port",
      fragment: "missing"),
    Case(
      label: "unknown need", yaml: base + "stack: {app: {command: x, port: 1, needs: [redis]}}\n",
      keyPath: "stack.app.needs", fragment: "'redis' is not a component"),
    Case(
      label: "haproxy without backends", yaml: base + "stack: {haproxy: {port: 80}}\n", keyPath: "stack.haproxy",
      fragment: "backends"),
    Case(
      label: "haproxy backend not an app",
      yaml: base + "stack: {postgresql: {port: 1}, haproxy: {port: 2, backends: [postgresql]}}\n",
      keyPath: "stack.haproxy.backends", fragment: "not an app"),
    Case(
      label: "stack cycle",
      yaml: base + "stack: {a: {command: x, port: 1, needs: [b]}, b: {command: y, port: 2, needs: [a]}}\n",
      keyPath: "stack", fragment: "cycle"),
    Case(
      label: "duplicate ports", yaml: base + "stack: {postgresql: {port: 1}, memcached: {port: 1}}\n",
      keyPath: "stack.memcached.port", fragment: "also postgresql"),
    Case(
      label: "key of another kind", yaml: base + "stack: {postgresql: {port: 1, command: x}}\n",
      keyPath: "stack.postgresql.command", fragment: "unknown key"),
    Case(
      label: "health not a path", yaml: base + "stack: {app: {command: x, port: 1, health: health}}\n",
      keyPath: "stack.app", fragment: "path"),
    Case(
      label: "driver unknown", yaml: base + "environments: {failover: {driver: k8s}}\n",
      keyPath: "environments.failover.driver", fragment: "local, juju"),
    Case(
      label: "environment unknown key", yaml: base + "environments: {failover: {credential: {profile: x}}}\n",
      keyPath: "environments.failover.credential", fragment: "did you mean 'credentials'"),
    Case(
      label: "environment port for unknown component",
      yaml: base + "environments: {failover: {stack: {redis: {port: 1}}}}\n",
      keyPath: "environments.failover.stack.redis", fragment: "not a component"),
    Case(
      label: "environment storage bad url", yaml: base + "environments: {failover: {storage: {url: \"s3:/x\"}}}\n",
      keyPath: "environments.failover.storage.url", fragment: "s3://"),
    Case(
      label: "environment name with capitals", yaml: base + "environments: {Failover: {}}\n",
      keyPath: "environments.Failover", fragment: "lowercase"),
    Case(label: "document is a list", yaml: "- a\n- b\n", keyPath: "", fragment: "expected a mapping"),
    Case(label: "duplicate key", yaml: base + "name: u\n", keyPath: "", fragment: "twice"),
    Case(label: "invalid YAML", yaml: base + "backup: {schedule: [\n", keyPath: "", fragment: "not valid YAML"),
    Case(label: "tab indentation", yaml: "name: t\nstorage:\n\turl: x\n", keyPath: "", fragment: "not valid YAML"),
  ]

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

  @Test func atLeastFiftyBadInputs() {
    #expect(Self.cases.count >= 50)
  }
}
