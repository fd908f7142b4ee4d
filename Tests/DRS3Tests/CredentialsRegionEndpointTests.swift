import Testing

@testable import DRS3

/// Region: policy > AWS_REGION > AWS_DEFAULT_REGION > profile > us-east-1.
/// Endpoint: policy > AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL > profile > AWS.
struct CredentialsRegionEndpointTests {
  static let keys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": FakeKeys.envSecret]
  static let config = """
    [default]
    region = eu-west-1
    endpoint_url = http://default.example:7480/

    [profile spare]
    region = ap-south-1
    services = local

    [services local]
    s3 =
      endpoint_url = http://spare.example:9000
    """
  static let credentials = """
    [spare]
    aws_access_key_id = AKIASPARE
    aws_secret_access_key = \(FakeKeys.spareSecret)
    region = ca-central-1
    """

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    var source: CredentialsSource = .chain
    var environment: [String: String] = [:]
    var region: String?
    var endpoint: String?
    var config: String? = CredentialsRegionEndpointTests.config
    let expected: (region: String, regionSource: String, endpoint: String?, endpointSource: String)

    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "the policy wins", environment: ["AWS_REGION": "r1", "AWS_ENDPOINT_URL_S3": "http://env:1"],
      region: "us-west-2", endpoint: "https://s3.example.com/",
      expected: ("us-west-2", "the policy", "https://s3.example.com", "the policy")),
    Case(
      name: "AWS_REGION and AWS_ENDPOINT_URL_S3 beat the rest",
      environment: [
        "AWS_REGION": "r1", "AWS_DEFAULT_REGION": "r2", "AWS_ENDPOINT_URL_S3": "http://s3only:1",
        "AWS_ENDPOINT_URL": "http://all:1",
      ],
      expected: ("r1", "AWS_REGION", "http://s3only:1", "AWS_ENDPOINT_URL_S3")),
    Case(
      name: "AWS_DEFAULT_REGION and AWS_ENDPOINT_URL next",
      environment: ["AWS_DEFAULT_REGION": "r2", "AWS_ENDPOINT_URL": "http://all:1"],
      expected: ("r2", "AWS_DEFAULT_REGION", "http://all:1", "AWS_ENDPOINT_URL")),
    Case(
      name: "then the default profile",
      expected: ("eu-west-1", "profile default", "http://default.example:7480", "profile default")),
    Case(
      name: "AWS_PROFILE picks the profile; credentials-file region and services section win",
      environment: ["AWS_PROFILE": "spare"],
      expected: ("ca-central-1", "profile spare", "http://spare.example:9000", "profile spare, services section")),
    Case(
      name: "an explicit profile supplies its settings", source: .profile("spare"),
      expected: ("ca-central-1", "profile spare", "http://spare.example:9000", "profile spare, services section")),
    Case(
      name: "nothing configured: us-east-1 on AWS", config: nil,
      expected: ("us-east-1", "the default", nil, "the default")),
    Case(
      name: "blank values count as unset", environment: ["AWS_REGION": " ", "AWS_ENDPOINT_URL": ""], region: "",
      endpoint: " ", config: nil, expected: ("us-east-1", "the default", nil, "the default")),
    Case(
      name: "configured endpoints can be ignored",
      environment: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://all:1"],
      expected: ("eu-west-1", "profile default", nil, "configured endpoints ignored")),
  ]

  @Test(arguments: cases)
  func resolves(_ test: Case) async throws {
    let fixture = AWSFixture(credentials: Self.credentials, config: test.config)
    defer { fixture.remove() }
    let environment = Self.keys.merging(test.environment) { $1 }
    let access = try await fixture.resolver(environment).resolve(
      credentials: test.source, region: test.region, endpoint: test.endpoint)
    #expect(access.region == test.expected.region)
    #expect(access.regionSource == test.expected.regionSource)
    #expect(access.endpoint == test.expected.endpoint)
    #expect(access.endpointSource == test.expected.endpointSource)
    #expect(access.description.contains("region \(test.expected.region) (\(test.expected.regionSource))"))
  }

  @Test(arguments: [
    (["AWS_ENDPOINT_URL": "s3.example.com"], nil as String?, "AWS_ENDPOINT_URL"),
    ([:], "ftp://h", "the policy"),
    ([:], "http://", "the policy"),
  ])
  func endpointsMustBeHTTPURLs(_ environment: [String: String], _ explicit: String?, _ source: String) async throws {
    let fixture = AWSFixture()
    defer { fixture.remove() }
    let error = await #expect(throws: CredentialsError.self) {
      try await fixture.resolver(Self.keys.merging(environment) { $1 }).resolve(endpoint: explicit)
    }
    guard case .invalidEndpoint(_, let from) = error else {
      Issue.record("expected invalidEndpoint, got \(String(describing: error))")
      return
    }
    #expect(from == source)
    #expect(error?.description.contains("http:// or https://") == true)
  }
}
