import DRPolicy
import DRS3
import DRStorage
import Testing

/// `storage.content_md5: auto` leaves Content-MD5 out of data uploads on AWS S3, the one
/// server known to check the signed payload hash of every request, and elsewhere only once
/// a probe saw the server check it (`unlessPayloadHashChecked`, ContentMD5Tests).
struct ContentMD5SettingTests {
  @Test(arguments: [
    ("https://s3.eu-west-1.amazonaws.com", ContentMD5Use.whenRequired),
    ("https://bucket.s3.amazonaws.com:443", .whenRequired), ("https://s3.cn-north-1.amazonaws.com.cn", .whenRequired),
    ("http://127.0.0.1:7480", .unlessPayloadHashChecked), ("https://minio.example.com", .unlessPayloadHashChecked),
    ("https://amazonaws.com.evil.example", .unlessPayloadHashChecked),
  ])
  func autoLeavesItOutOnAWSAndProbesElsewhere(url: String, expected: ContentMD5Use) throws {
    let endpoint = try S3Endpoint(url: url, region: "us-east-1")
    #expect(StorageConnector.contentMD5(.auto, endpoint: endpoint) == expected)
    #expect(StorageConnector.contentMD5(.always, endpoint: endpoint) == .always)
    #expect(StorageConnector.contentMD5(.whenRequired, endpoint: endpoint) == .whenRequired)
  }

  @Test func thePolicyKeyIsReadAndCheckedAndGoesToTheClient() async throws {
    let settings = try PolicyLoader(environment: [:]).parse(
      yaml: """
        name: md5
        database: {url: "postgresql://u@127.0.0.1:1/db"}
        storage: {url: "s3://bucket/p/", endpoint: "http://127.0.0.1:1", content_md5: when_required}
        """, file: "md5.yaml")
    #expect(settings.storage.contentMD5 == .whenRequired)
    #expect(throws: PolicyError.self) {
      try PolicyLoader(environment: [:]).parse(
        yaml: """
          name: md5
          database: {url: "postgresql://u@127.0.0.1:1/db"}
          storage: {url: "s3://bucket/p/", content_md5: never}
          """, file: "md5.yaml")
    }
  }
}
