import DRCore
import Foundation
import Testing

@testable import DRPolicy

struct PolicyLoadingTests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  @Test func exampleLoadsWithEveryKey() throws {
    let loader = PolicyLoader(environment: ["DR_WEBHOOK_SECRET": "hook-secret-value"])
    let policy = try loader.load(path: "\(Self.repositoryRoot)/examples/policy.yaml")
    #expect(policy.name == "summit")
    #expect(policy.database.url.user == "summit")
    #expect(policy.database.url.database == "summit")
    #expect(policy.database.databases == .named(["summit"]))
    #expect(policy.storage.location == S3Location(bucket: "summit-backups", prefix: "prod/"))
    #expect(policy.storage.endpoint == "https://s3.us-east-1.amazonaws.com")
    #expect(policy.storage.credentials == .profile("production"))
    #expect(policy.storage.serverSideEncryption == .aes256)
    #expect(policy.storage.maxRate == Int64(50 * 1_048_576))
    #expect(policy.storage.copies.map(\.location.bucket) == ["summit-backups-replica"])
    #expect(policy.backup.schedule?.hours == [0, 6, 12, 18])
    #expect(policy.backup.compression == CompressionSettings(codec: .bzip2, level: 9, threads: .auto))
    #expect(policy.backup.encryption?.decryptionKeys == ["/etc/dr/old.key"])
    #expect(policy.retention?.lock == ObjectLockSettings(mode: .governance, days: 7))
    #expect(policy.verify.checks.map(\.name) == ["meetings exist"])
    #expect(policy.verify.checks.map(\.database) == ["summit"])
    #expect(policy.verify.maxAge == DurationValue(seconds: 26 * 3600))
    #expect(policy.notify?.secret?.value == "hook-secret-value")
    #expect(policy.stack.components.map(\.name) == ["postgresql", "memcached", "app", "haproxy"])
    #expect(policy.stack.component(named: "app")?.needs == ["postgresql", "memcached"])
    #expect(policy.environments.map(\.name) == ["production", "failover"])
    #expect(policy.secrets.contains("hook-secret-value"))
  }

  @Test func failoverEnvironmentOverridesStorageCredentialsAndPorts() throws {
    let policy = try PolicyLoader(environment: [:]).load(path: "\(Self.repositoryRoot)/examples/policy.yaml")
    let failover = try #require(policy.environment(named: "failover"))
    let storage = failover.storage(over: policy.storage)
    #expect(storage.location.bucket == "summit-backups-replica")
    #expect(storage.credentials == .profile("spare"))
    #expect(storage.region == "us-east-1")
    #expect(failover.stack(over: policy.stack).component(named: "haproxy")?.port == 18081)
    #expect(failover.encryptionKeyFile == "/etc/dr/failover.key")
    #expect(policy.environment(named: "production")?.storage(over: policy.storage) == policy.storage)
  }

  @Test func localPolicyLoadsWithServiceVariables() throws {
    let environment = [
      "DR_TEST_PG_PORT": "5544", "AWS_ENDPOINT_URL": "http://127.0.0.1:7480",
      "DR_TEST_SPARE_ACCESS_KEY_ID": "SPAREKEY", "DR_TEST_SPARE_SECRET_ACCESS_KEY": "spare-secret",
    ]
    let policy = try PolicyLoader(environment: environment).load(path: "\(Self.repositoryRoot)/policies/local.yaml")
    #expect(policy.database.url.hosts == "127.0.0.1:5544")
    #expect(policy.storage.effectiveAddressing == .path)
    #expect(policy.storage.region == "us-east-1")
    let failover = try #require(policy.environment(named: "failover"))
    #expect(failover.storage(over: policy.storage).credentials != policy.storage.credentials)
  }

  @Test func defaultsForAMinimalPolicy() throws {
    let yaml = "name: m\ndatabase: {url: \"postgres://h/db\"}\nstorage: {url: \"s3://bucket-1\"}\n"
    let policy = try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "m.yaml")
    #expect(policy.storage.location.prefix == "")
    #expect(policy.storage.effectiveAddressing == .virtual)
    #expect(policy.backup.globals)
    #expect(policy.backup.compression.codec == .bzip2)
    #expect(policy.verify.scratch == .local)
    #expect(policy.verify.rowCounts == .exact)
    #expect(policy.retention == nil)
    #expect(policy.stack.components.isEmpty)
  }

  @Test func zstdTakesItsOwnDefaultLevelAndRange() throws {
    let base = "name: m\ndatabase: {url: \"postgres://h/db\"}\nstorage: {url: \"s3://bucket-1\"}\n"
    let loader = PolicyLoader(environment: ["CODEC": "zstd"])
    let plain = try loader.parse(yaml: base + "backup: {compression: {codec: zstd}}\n", file: "m.yaml")
    #expect(plain.backup.compression == CompressionSettings(codec: .zstd, level: 3, threads: .auto))
    let high = try loader.parse(
      yaml: base + "backup: {compression: {codec: \"${CODEC}\", level: 19}}\n", file: "m.yaml")
    #expect(high.backup.compression.level == 19)
    // gzip is refused when it comes through a variable too, with the same advice.
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader(environment: ["CODEC": "gzip"]).parse(
        yaml: base + "backup: {compression: {codec: \"${CODEC}\"}}\n", file: "m.yaml")
    }
    #expect(error?.keyPath == "backup.compression.codec")
    #expect(error?.description.contains("gzip is not built into dr; use zstd") == true)
  }

  @Test func bzip2EncoderDefaultsToAutoAndTakesEachChoice() throws {
    let base = "name: m\ndatabase: {url: \"postgres://h/db\"}\nstorage: {url: \"s3://bucket-1\"}\n"
    let loader = PolicyLoader(environment: ["ENCODER": "libbz2"])
    #expect(try loader.parse(yaml: base, file: "m.yaml").backup.compression.encoder == .auto)
    let plain = try loader.parse(yaml: base + "backup: {compression: {level: 6}}\n", file: "m.yaml")
    #expect(plain.backup.compression == CompressionSettings(codec: .bzip2, level: 6, threads: .auto, encoder: .auto))
    for encoder in CompressionSettings.Encoder.allCases {
      let yaml = base + "backup: {compression: {codec: bzip2, encoder: \(encoder.rawValue)}}\n"
      #expect(try loader.parse(yaml: yaml, file: "m.yaml").backup.compression.encoder == encoder)
    }
    let expanded = try loader.parse(yaml: base + "backup: {compression: {encoder: \"${ENCODER}\"}}\n", file: "m.yaml")
    #expect(expanded.backup.compression.encoder == .libbz2)
  }

  @Test func variablesExpandWithDefaultsAndEscapes() throws {
    let yaml = """
      name: ${NAME}
      database: {url: "postgresql://u:${PW}@127.0.0.1:${PORT:-5432}/db"}
      storage: {url: "s3://bucket-1/$${literal}/"}
      verify: {checks: [{name: c, sql: "SELECT $1"}]}
      """
    let policy = try PolicyLoader(environment: ["NAME": "expanded", "PW": "pg-password-1"]).parse(
      yaml: yaml, file: "v.yaml")
    #expect(policy.name == "expanded")
    #expect(policy.database.url.hosts == "127.0.0.1:5432")
    #expect(policy.database.url.password?.value == "pg-password-1")
    #expect(policy.storage.location.prefix == "${literal}/")
    #expect(policy.verify.checks[0].sql == "SELECT $1")
    #expect(policy.secrets == ["pg-password-1"])
    #expect(!"\(policy.database.url)".contains("pg-password-1"))
  }

  @Test func secretsNeverInErrorMessages() throws {
    let yaml = """
      name: s
      database: {url: "postgresql://u:hunter2secret@127.0.0.1/db"}
      storage: {url: "s3://bucket-1/", credentials: {access_key_id: AKIA1, secret_access_key: "${SK}"}}
      notify: {webhook: "not a url"}
      """
    SecretRegistry.shared.register("abcdEFGHsecretKEY")
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader(environment: ["SK": "abcdEFGHsecretKEY"]).parse(yaml: yaml, file: "s.yaml")
    }
    #expect(error?.keyPath == "notify.webhook")
    #expect(error.map { !$0.description.contains("abcdEFGHsecretKEY") } == true)
  }
}
