import DRCore
import DRCrypto
import DRHTTP
import DRS3
import DRTestSupport
import Foundation
import Testing

/// Object operations against the real RGW, which enforces SigV4.
struct S3ClientObjectTests {
  static let keys = [
    "plain.txt", "with space.txt", "plus+equals=amp&.txt", "tilde~star*(parens)'quote'!.txt", "ümlaut.txt",
    "日本/語.txt", "deep/a/b/c/d/e/f/g/object", "percent%20literal.txt", "semi;colon,comma:colon@at$dollar.txt",
    "dots/../up.txt", "a/./b//c.txt",
  ]

  @Test(arguments: keys)
  func putGetHeadDeleteRoundTrip(_ key: String) async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "obj") { (bucket: String) async throws -> Void in
      let body = S3Test.bytes(70_000, seed: UInt64(key.utf8.count))
      try await client.putObject(
        bucket: bucket, key: key, body: body, options: S3PutOptions(metadata: ["origin": "dr"]))
      #expect(try await client.getObjectBytes(bucket: bucket, key: key) == body)
      let head = try #require(try await client.headObject(bucket: bucket, key: key))
      #expect(head.size == 70_000)
      #expect(head.metadata["origin"] == "dr")
      let listed = try await client.listAllObjects(bucket: bucket)
      #expect(listed.map(\.key) == [key])
      try await client.deleteObject(bucket: bucket, key: key)
      #expect(try await client.headObject(bucket: bucket, key: key) == nil)
    }
  }

  @Test func storageClassIsKept() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "class") { (bucket: String) async throws -> Void in
      try await client.putObject(
        bucket: bucket, key: "ia", body: [1, 2, 3], options: S3PutOptions(storageClass: "STANDARD_IA"))
      #expect(try await client.headObject(bucket: bucket, key: "ia")?.storageClass == "STANDARD_IA")
      #expect(try await client.listAllObjects(bucket: bucket).first?.storageClass == "STANDARD_IA")
    }
  }

  @Test func rangedGet() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "range") { (bucket: String) async throws -> Void in
      let body = S3Test.bytes(10_000)
      try await client.putObject(bucket: bucket, key: "r", body: body)
      let sink = CollectingSink()
      let head = try await client.getObject(bucket: bucket, key: "r", range: 100...199, into: sink)
      #expect(sink.bytes == Array(body[100...199]))
      #expect(head.size == 10_000)
    }
  }

  @Test func missingObjectAndBucketAreTypedErrors() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "missing") { (bucket: String) async throws -> Void in
      let error = await #expect(throws: S3Error.self) { try await client.getObjectBytes(bucket: bucket, key: "nope") }
      #expect(error?.code == "NoSuchKey")
      #expect(error?.status == 404)
      let noBucket = await #expect(throws: S3Error.self) {
        try await client.listObjects(bucket: "dr-no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())")
      }
      #expect(noBucket?.code == "NoSuchBucket")
      #expect(noBucket?.description.contains("Create the bucket") == true)
    }
  }

  @Test func conditionalCreateRefusesAnExistingKey() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "cond") { (bucket: String) async throws -> Void in
      try await client.putObject(
        bucket: bucket, key: "lease", body: Array("a".utf8), options: S3PutOptions(ifNoneMatch: true))
      let error = await #expect(throws: S3Error.self) {
        try await client.putObject(
          bucket: bucket, key: "lease", body: Array("b".utf8), options: S3PutOptions(ifNoneMatch: true))
      }
      #expect(error?.status == 412)
      #expect(try await client.getObjectBytes(bucket: bucket, key: "lease") == Array("a".utf8))
    }
  }

  @Test func wrongSecretSaysTheSignatureWasRejectedAndNeverShowsIt() async throws {
    let wrong = "wrong-secret-key-for-dr-tests-0000000000"
    let client = try S3Test.client(secret: wrong)
    let error = await #expect(throws: S3Error.self) { try await client.listObjects(bucket: "dr-any-bucket") }
    #expect(error?.code == "SignatureDoesNotMatch")
    let text = error?.description ?? ""
    #expect(text.contains("rejected the request signature"))
    #expect(text.contains("environment (AWS_ACCESS_KEY_ID)"))
    #expect(!text.contains(wrong))
  }

  @Test func unreachableEndpointFailsWithinTheTimeout() async throws {
    let client = try S3Test.client(endpoint: "http://127.0.0.1:1", retry: .none)
    let error = await #expect(throws: S3Error.self) { try await client.listObjects(bucket: "dr-any") }
    #expect(error?.kind == .transport(.couldNotConnect))
    #expect(error?.description.contains("127.0.0.1:1") == true || error?.description.contains("s3://dr-any") == true)
  }

  @Test func deleteObjectsInBatches() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "batch") { (bucket: String) async throws -> Void in
      let keys = (0..<30).map { "k/\($0) & <x>" }
      for key in keys { try await client.putObject(bucket: bucket, key: key, body: [1]) }
      let failures = try await client.deleteObjects(bucket: bucket, keys: keys)
      #expect(failures.isEmpty)
      #expect(try await client.listAllObjects(bucket: bucket).isEmpty)
    }
  }

  @Test func presignedURLWorksWithCurl() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "presign") { (bucket: String) async throws -> Void in
      try await client.putObject(bucket: bucket, key: "shared file.txt", body: Array("hello presign".utf8))
      let url = try await client.presign(bucket: bucket, key: "shared file.txt", expires: 300)
      let result = try await ProcessRunner.run("/usr/bin/curl", ["-sS", "-f", url])
      #expect(result.status == 0)
      #expect(result.standardOutput == "hello presign")
      let tampered = url.replacingOccurrences(of: "X-Amz-Expires=300", with: "X-Amz-Expires=301")
      #expect(try await ProcessRunner.run("/usr/bin/curl", ["-sS", "-f", tampered]).status != 0)
      await #expect(throws: S3Error.self) { try await client.presign(bucket: bucket, key: "k", expires: 604_801) }
    }
  }
}
