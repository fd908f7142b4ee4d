import DRS3
import DRTestSupport
import Foundation
import Testing

/// `If-Match` on PUT and DELETE: signed like every header, and what Ceph RGW 16 does with
/// it (the facts `BucketLease` is built on).
struct S3ConditionalTests {
  @Test func ifMatchOnPutTakesTheBareETagOnRGW() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "ifmatch") { bucket in
      let etag = try await client.putObject(bucket: bucket, key: "lease", body: Array("one".utf8))
      let bare = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      #expect(!bare.isEmpty, "PUT gives back the ETag")
      // The quoted form of the right ETag (RFC 7232, what AWS takes) fails on RGW 16.
      let quoted = await #expect(throws: S3Error.self) {
        try await client.putObject(
          bucket: bucket, key: "lease", body: Array("two".utf8), options: S3PutOptions(ifMatch: "\"\(bare)\""))
      }
      #expect(quoted?.status == 412)
      let wrong = await #expect(throws: S3Error.self) {
        try await client.putObject(
          bucket: bucket, key: "lease", body: Array("two".utf8), options: S3PutOptions(ifMatch: "0123abcd"))
      }
      #expect(wrong?.status == 412)
      #expect(try await client.getObjectBytes(bucket: bucket, key: "lease") == Array("one".utf8))
      let next = try await client.putObject(
        bucket: bucket, key: "lease", body: Array("three".utf8), options: S3PutOptions(ifMatch: bare))
      #expect(next != etag)
      #expect(try await client.getObjectBytes(bucket: bucket, key: "lease") == Array("three".utf8))
    }
  }

  /// RGW 16 ignores `If-Match` on DELETE: an object is deleted even under a wrong ETag.
  /// (AWS refuses with 412.) Should RGW start honouring it, this fails, and a lease's
  /// release is then fenced there too.
  @Test func ifMatchOnDeleteIsIgnoredByRGW() async throws {
    let client = try S3Test.client()
    try await TestS3.withBucket(client, "ifmatchdel") { bucket in
      try await client.putObject(bucket: bucket, key: "lease", body: Array("one".utf8))
      try await client.deleteObject(bucket: bucket, key: "lease", ifMatch: "0123abcd")
      #expect(try await client.headObject(bucket: bucket, key: "lease") == nil)
    }
  }

  @Test func conditionsAreSentAndSigned() async throws {
    let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(headers: [("ETag", "\"e1\"")]) }
    defer { server.stop() }
    let client = try S3Test.client(endpoint: server.baseURL)
    let etag = try await client.putObject(
      bucket: "b", key: "k", body: [1], options: S3PutOptions(ifMatch: "\"e0\""))
    #expect(etag == "\"e1\"")
    try await client.deleteObject(bucket: "b", key: "k", ifMatch: "e1")
    let requests = server.requests
    #expect(requests.map { $0.header("If-Match") } == ["\"e0\"", "e1"])
    for request in requests {
      let signed =
        request.header("Authorization")?.split(separator: ",")
        .first { $0.contains("SignedHeaders=") } ?? ""
      #expect(signed.split(separator: "=").last?.split(separator: ";").contains("if-match") == true, "\(signed)")
    }
  }
}
