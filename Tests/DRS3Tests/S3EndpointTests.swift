import Testing

@testable import DRS3

struct S3EndpointTests {
  @Test func pathStyleOnACustomEndpoint() throws {
    let endpoint = try S3Endpoint(url: "http://127.0.0.1:7480", region: "us-east-1")
    #expect(endpoint.addressing == .path)
    let location = endpoint.location(bucket: "backups", key: "prod/summit/a b+c.bz2")
    #expect(location.host == "127.0.0.1:7480")
    #expect(location.path == "/backups/prod/summit/a%20b%2Bc.bz2")
    #expect(endpoint.location(bucket: "backups", key: nil).path == "/backups")
  }

  @Test func virtualHostedStyleOnAWS() throws {
    let endpoint = try S3Endpoint(url: nil, region: "eu-west-1")
    #expect(endpoint.baseURL == "https://s3.eu-west-1.amazonaws.com")
    #expect(endpoint.addressing == .virtual)
    let location = endpoint.location(bucket: "backups", key: "prod/x")
    #expect(location.host == "backups.s3.eu-west-1.amazonaws.com")
    #expect(location.path == "/prod/x")
    #expect(endpoint.location(bucket: "backups", key: nil).path == "/")
    #expect(try S3Endpoint(url: nil, region: "us-east-1").authority == "s3.amazonaws.com")
  }

  @Test func addressingCanBeForced() throws {
    #expect(
      try S3Endpoint(url: "https://minio.internal:9000", region: "x", addressing: .virtual).addressing == .virtual)
    #expect(try S3Endpoint(url: nil, region: "us-east-1", addressing: .path).addressing == .path)
  }

  @Test(arguments: ["ftp://x", "127.0.0.1:7480", "http://", "https:///path"])
  func refusesEndpointsThatAreNotHTTPURLs(_ url: String) {
    #expect(throws: S3Error.self) { try S3Endpoint(url: url, region: "us-east-1") }
  }

  @Test func writeOptionsBecomeHeaders() {
    let kms = S3PutOptions(
      contentType: "application/octet-stream", storageClass: "STANDARD_IA",
      serverSideEncryption: .kms(keyID: "arn:aws:kms:eu-west-1:1:key/k"), metadata: ["b": "2", "a": "1"])
    #expect(
      kms.headers.map(\.0) == [
        "Content-Type", "x-amz-storage-class", "x-amz-server-side-encryption",
        "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-meta-a", "x-amz-meta-b",
      ])
    #expect(kms.headers.first { $0.0 == "x-amz-server-side-encryption" }?.1 == "aws:kms")
    #expect(S3PutOptions(serverSideEncryption: .aes256).headers.map(\.1) == ["AES256"])
  }
}
