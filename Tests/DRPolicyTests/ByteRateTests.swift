import DRPolicy
import Testing

/// `storage.max_rate`: the size parser's units, and a bad rate named by file, line and key.
struct ByteRateTests {
  static let rates: [(String, Int64)] = [
    ("50MiB/s", 50 * 1_048_576), ("50MB/s", 50_000_000), ("512KiB/s", 524_288), ("1.5GiB/s", 1_610_612_736),
    ("100kB/s", 100_000), ("4096/s", 4_096), ("2048B/s", 2_048), (" 8 MiB/s ", 8 * 1_048_576),
  ]

  @Test(arguments: rates)
  func ratesParse(_ text: String, _ bytes: Int64) {
    #expect(ByteSize.rate(parsing: text)?.bytes == bytes)
  }

  @Test(arguments: ["50MiB", "MiB/s", "50Mib/s", "-5MiB/s", "0/s", "1..5MB/s", ".5MB/s", "5./s", "50 MiB/h", ""])
  func nonRatesAreRefused(_ text: String) {
    #expect(ByteSize.rate(parsing: text) == nil)
  }

  @Test func aBadRateIsNamedByFileLineAndKey() throws {
    let yaml = """
      name: t
      database: {url: "postgresql://u@127.0.0.1:5432/db"}
      storage:
        url: s3://bucket-1/p/
        max_rate: fast
      """
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "policies/rate.yaml")
    }
    #expect(error?.line == 5)
    #expect(error?.keyPath == "storage.max_rate")
    #expect(error?.description.hasPrefix("policies/rate.yaml:5: storage.max_rate: expected a rate") == true)
  }

  @Test func anEnvironmentMayOverrideTheRate() throws {
    let yaml = """
      name: t
      database: {url: "postgresql://u@127.0.0.1:5432/db"}
      storage: {url: "s3://bucket-1/p/", max_rate: 10MiB/s}
      environments: {failover: {storage: {max_rate: 2MB/s}}}
      """
    let policy = try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "policies/rate.yaml")
    #expect(policy.storage.maxRate == Int64(10 * 1_048_576))
    #expect(policy.environment(named: "failover")?.storage(over: policy.storage).maxRate == Int64(2_000_000))
  }
}
