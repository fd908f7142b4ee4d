import DRSigV4
import Foundation
import Testing

/// S3's rules (single encoding, no normalisation, x-amz-content-sha256), checked against the worked
/// examples of AWS's "Signature Calculations for the Authorization Header" page for S3.
@Suite struct S3SigningTests {
  static let credentials = SigV4Credentials(
    accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
  static let signer = SigV4Signer(credentials: credentials, service: "s3", region: "us-east-1", options: .s3)
  static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
  static let host = SigV4Header("Host", "examplebucket.s3.amazonaws.com")

  @Test func getObjectWithRange() throws {
    let request = SigV4Request(
      method: "GET", path: "/test.txt", headers: [Self.host, SigV4Header("Range", "bytes=0-9")])
    let signed = try Self.signer.signHeaders(request, payload: .empty, date: Self.date)
    #expect(signed.canonicalRequest.hash == "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
    #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    #expect(signed.canonicalRequest.headers.signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
    #expect(
      signed.authorization
        == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
  }

  @Test func putObjectWhoseKeyNeedsEncoding() throws {
    let body = Array("Welcome to Amazon S3.".utf8)
    let path = "/" + SigV4.uriEncode("test$file.text", encodeSlash: false)
    let headers = [
      SigV4Header("Date", "Fri, 24 May 2013 00:00:00 GMT"), Self.host,
      SigV4Header("x-amz-storage-class", "REDUCED_REDUNDANCY"),
    ]
    let request = SigV4Request(method: "PUT", path: path, headers: headers)
    let signed = try Self.signer.signHeaders(request, payload: .body(body), date: Self.date)
    #expect(signed.canonicalRequest.uri == "/test%24file.text")
    #expect(signed.canonicalRequest.payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    #expect(signed.stringToSign.hasSuffix("\n9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
    #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
  }

  @Test func listObjectsSortsTheQuery() throws {
    let query = [SigV4QueryItem("max-keys", "2"), SigV4QueryItem("prefix", "J")]
    let request = SigV4Request(method: "GET", path: "/", query: query, headers: [Self.host])
    let signed = try Self.signer.signHeaders(request, payload: .empty, date: Self.date)
    #expect(signed.canonicalRequest.query == "max-keys=2&prefix=J")
    #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
  }

  @Test func subresourceWithoutValueIsSignedAsEmptyValue() throws {
    let request = SigV4Request(method: "GET", target: "/?lifecycle", headers: [Self.host])
    let signed = try Self.signer.signHeaders(request, payload: .empty, date: Self.date)
    #expect(signed.canonicalRequest.query == "lifecycle=")
    #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
  }

  @Test func contentSHA256HeaderIsAddedAndSigned() throws {
    let request = SigV4Request(method: "PUT", path: "/bucket/key", headers: [Self.host])
    let signed = try Self.signer.signHeaders(request, payload: .body(Array("x".utf8)), date: Self.date)
    let hash = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    #expect(signed.headers.map(\.name) == ["X-Amz-Date", "x-amz-content-sha256", "Authorization"])
    #expect(signed.headers[1].value == hash)
    #expect(signed.canonicalRequest.text.contains("\nx-amz-content-sha256:\(hash)\n"))
    #expect(signed.canonicalRequest.headers.signedHeaders == "host;x-amz-content-sha256;x-amz-date")
  }

  @Test func unsignedPayloadOnlyWhenAsked() throws {
    let request = SigV4Request(method: "PUT", path: "/bucket/key", headers: [Self.host])
    let signed = try Self.signer.signHeaders(request, payload: .unsigned, date: Self.date)
    #expect(signed.headers.first { $0.name == "x-amz-content-sha256" }?.value == "UNSIGNED-PAYLOAD")
    #expect(signed.canonicalRequest.text.hasSuffix("\nUNSIGNED-PAYLOAD"))
    let hashed = try Self.signer.signHeaders(request, payload: .body([UInt8]()), date: Self.date)
    #expect(hashed.canonicalRequest.payloadHash == SigV4.emptyPayloadHash)
  }

  @Test func pathIsNeitherNormalisedNorEncodedAgain() throws {
    let key = "deep/./prefix/../a  b+c=d&e~f*g(h)i'j!k/ü/日本/x.dump"
    let path = "/bucket//" + SigV4.uriEncode(key, encodeSlash: false)
    let request = SigV4Request(method: "GET", path: path, headers: [Self.host])
    let signed = try Self.signer.signHeaders(request, payload: .empty, date: Self.date)
    #expect(signed.canonicalRequest.uri == path)
    #expect(request.target == path)
    #expect(
      path
        == "/bucket//deep/./prefix/../a%20%20b%2Bc%3Dd%26e~f%2Ag%28h%29i%27j%21k/%C3%BC/%E6%97%A5%E6%9C%AC/x.dump")
  }

  @Test func unencodedPathIsRefused() {
    let request = SigV4Request(method: "GET", path: "/bucket/my file", headers: [Self.host])
    #expect(throws: SigV4Error.pathNotEncoded("/bucket/my file")) {
      try Self.signer.signHeaders(request, payload: .empty, date: Self.date)
    }
  }

  @Test func sessionTokenIsSentAndSigned() throws {
    let credentials = SigV4Credentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "tok/en+=")
    let signer = SigV4Signer(credentials: credentials, service: "s3", region: "eu-west-1", options: .s3)
    let request = SigV4Request(method: "GET", path: "/b/k", headers: [Self.host])
    let signed = try signer.signHeaders(request, payload: .empty, date: Self.date)
    #expect(signed.headers.first?.name == "X-Amz-Security-Token")
    #expect(signed.headers.first?.value == "tok/en+=")
    #expect(
      signed.canonicalRequest.headers.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
  }
}

@Suite struct S3ObjectRequestTests {
  @Test func pathStyleKeyIsEncodedOnceWithSlashesKept() throws {
    let request = SigV4Request.s3Object(
      method: "PUT", bucket: "backups", key: "pg/main/2024 01/ü+日本.tar", headers: [S3SigningTests.host])
    #expect(request.path == "/backups/pg/main/2024%2001/%C3%BC%2B%E6%97%A5%E6%9C%AC.tar")
    let signed = try S3SigningTests.signer.signHeaders(request, payload: .unsigned, date: S3SigningTests.date)
    #expect(signed.canonicalRequest.uri == request.path)
  }

  @Test func virtualHostedKeyStartsAtTheRoot() {
    let request = SigV4Request.s3Object(method: "GET", key: "test$file.text", headers: [S3SigningTests.host])
    #expect(request.target == "/test%24file.text")
  }
}
