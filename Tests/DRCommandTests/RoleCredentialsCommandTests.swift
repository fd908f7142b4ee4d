import DRCore
import DRS3
import DRTestSupport
import Foundation
import Synchronization
import Testing

/// Roles from the command line (issue 19): a failover environment whose credentials are a
/// role assumed through STS (a gateway of the test's own on the test Ceph cluster, with STS
/// enabled), and web identity keys that never leak.
struct RoleCredentialsCommandTests {
  /// The environment of a `dr` run that must find no other credentials than its own.
  static func isolated(_ directory: String) -> [String: String?] {
    [
      "AWS_ACCESS_KEY_ID": nil, "AWS_SECRET_ACCESS_KEY": nil, "AWS_SESSION_TOKEN": nil, "AWS_PROFILE": nil,
      "AWS_SHARED_CREDENTIALS_FILE": directory + "/none", "AWS_CONFIG_FILE": directory + "/none",
      "AWS_EC2_METADATA_DISABLED": "true",
    ]
  }

  @Test func aFailoverEnvironmentAssumesARoleThatReadsOneBucketOnly() async throws {
    let production = try TestS3.client()
    let suffix = UUID().uuidString.prefix(8).lowercased()
    let allowed = try TestServices.require("DR_TEST_STS_BUCKET_PREFIX") + suffix
    let denied = "dr-sts-denied-" + suffix
    for bucket in [allowed, denied] {
      try await production.createBucket(bucket)
      try await production.putObject(bucket: bucket, key: "prod/greeting.txt", body: Array("hello".utf8))
    }
    let directory = TemporaryDirectory.unique("dr-role")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let gateway = try PrivateRadosGateway(sts: true)
    try await gateway.start()
    defer {
      gateway.stopNow()
      try? FileManager.default.removeItem(atPath: directory)
    }
    let policy = directory + "/policy.yaml"
    try """
    name: role
    database: {url: "postgresql://u@127.0.0.1:5432/db"}
    storage: {url: "s3://\(denied)/prod/", endpoint: "${S3_ENDPOINT}"}
    environments:
      failover:
        credentials:
          role_arn: ${SPARE_ROLE}
          source: {access_key_id: "${SOURCE_KEY}", secret_access_key: "${SOURCE_SECRET}"}
          duration_seconds: 900
        storage: {url: "s3://\(allowed)/prod/"}

    """.write(toFile: policy, atomically: true, encoding: .utf8)
    var environment = Self.isolated(directory)
    environment["S3_ENDPOINT"] = gateway.endpoint
    environment["SPARE_ROLE"] = try TestServices.require("DR_TEST_STS_ROLE_ARN")
    environment["SOURCE_KEY"] = try TestServices.accessKeyID()
    environment["SOURCE_SECRET"] = try TestServices.secretAccessKey()
    let arguments = ["s3", "ls", "--policy", policy, "--env", "failover", "--verbose"]

    let listed = try await DRBinary.run(arguments + ["s3://\(allowed)/prod/"], environment: environment)
    #expect(listed.status == 0, "\(listed.combined)")
    #expect(listed.standardOutput.contains("greeting.txt"), "\(listed.combined)")
    let refused = try await DRBinary.run(arguments + ["s3://\(denied)/prod/"], environment: environment)
    #expect(refused.status == 1, "\(refused.combined)")
    #expect(refused.standardError.contains("AccessDenied"), "\(refused.combined)")
    #expect(refused.standardError.contains(try TestServices.require("DR_TEST_STS_ROLE_ARN")), "\(refused.combined)")
    #expect(!refused.combined.contains(try TestServices.secretAccessKey()))
    await gateway.stop()
    for bucket in [allowed, denied] { await TestS3.remove(production, bucket) }
  }

  /// A loopback STS hands out canary keys; RGW refuses them. Neither the web identity
  /// token, nor the secret key, nor the session token STS returned appears in any output,
  /// human or JSON; nor the token when STS refuses it.
  @Test func webIdentityKeysAndTokensNeverAppearInOutput() async throws {
    let stamp = UUID().uuidString.replacingOccurrences(of: "-", with: "")
    let identityToken = "CanaryWebIdentityToken" + stamp
    let secretKey = "CanaryStsSecretKey" + stamp
    let sessionToken = "CanaryStsSessionToken" + stamp
    let refuse = Mutex(false)
    let sts = try LoopbackHTTPServer { request in
      if refuse.withLock({ $0 }) {
        return .xml(
          "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>Token expired</Message></Error></ErrorResponse>",
          status: 400)
      }
      let expiration = Date().addingTimeInterval(3600).formatted(.iso8601)
      return .xml(
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
          + "<AccessKeyId>ASIACANARY\(stamp.prefix(8))</AccessKeyId><SecretAccessKey>\(secretKey)</SecretAccessKey>"
          + "<SessionToken>\(sessionToken)</SessionToken><Expiration>\(expiration)</Expiration></Credentials>"
          + "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>")
    }
    defer { sts.stop() }
    let directory = TemporaryDirectory.unique("dr-irsa")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try identityToken.write(toFile: directory + "/token", atomically: true, encoding: .utf8)
    var environment = Self.isolated(directory)
    environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/dr-irsa"
    environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = directory + "/token"
    environment["AWS_ENDPOINT_URL_STS"] = sts.baseURL
    var outputs: [String] = []
    for format in ["human", "json"] {
      let result = try await DRBinary.run(
        ["s3", "ls", "s3://dr-irsa-none/", "--verbose", "--log-format", format], environment: environment)
      #expect(result.status == 1, "\(result.combined)")
      #expect(result.standardError.contains("GET s3://dr-irsa-none"), "\(result.combined)")
      outputs.append(result.combined)
    }
    refuse.withLock { $0 = true }
    let refused = try await DRBinary.run(["s3", "ls", "s3://dr-irsa-none/", "--verbose"], environment: environment)
    #expect(refused.status == 1)
    #expect(refused.standardError.contains("could not assume role arn:aws:iam::123456789012:role/dr-irsa"))
    #expect(refused.standardError.contains("ExpiredToken"), "\(refused.combined)")
    outputs.append(refused.combined)
    #expect(sts.requests.count == 3)
    for (index, output) in outputs.enumerated() {
      for canary in [identityToken, secretKey, sessionToken] {
        #expect(!output.contains(canary), "run \(index) printed a secret: \(output)")
      }
    }
  }
}
