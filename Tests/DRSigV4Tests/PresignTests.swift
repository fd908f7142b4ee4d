import DRSigV4
import Foundation
import Testing

/// Query signing, checked against AWS's S3 presigned-URL example ("Authenticating Requests: Using
/// Query Parameters"), and the 7-day limit.
@Suite struct PresignTests {
  static let signer = S3SigningTests.signer
  static let date = S3SigningTests.date
  static let request = SigV4Request(method: "GET", path: "/test.txt", headers: [S3SigningTests.host])

  @Test func awsExamplePresignedGet() throws {
    let signed = try Self.signer.presign(Self.request, payload: .unsigned, expires: 86_400, date: Self.date)
    #expect(signed.canonicalRequest.hash == "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04")
    #expect(signed.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    #expect(
      signed.target
        == "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=86400"
        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
  }

  @Test func sevenDaysIsTheLongestExpiry() throws {
    let signed = try Self.signer.presign(Self.request, payload: .unsigned, expires: 604_800, date: Self.date)
    #expect(signed.parameters.contains(SigV4QueryItem("X-Amz-Expires", "604800")))
  }

  @Test(arguments: [604_801, 0, -1, Int.max])
  func expiryOutsideOneSecondToSevenDaysIsRefused(seconds: Int) {
    #expect(throws: SigV4Error.expiryOutOfRange(seconds: seconds)) {
      try Self.signer.presign(Self.request, payload: .unsigned, expires: seconds, date: Self.date)
    }
  }

  @Test func requestQueryIsKeptAndSigned() throws {
    let request = SigV4Request(
      method: "GET", path: "/b/k", query: [SigV4QueryItem("response-content-type", "text/plain")],
      headers: [S3SigningTests.host])
    let signed = try Self.signer.presign(request, payload: .unsigned, expires: 60, date: Self.date)
    #expect(signed.target.hasPrefix("/b/k?response-content-type=text%2Fplain&X-Amz-Algorithm="))
    #expect(signed.canonicalRequest.query.contains("&response-content-type=text%2Fplain"))
  }

  @Test func sessionTokenCanBeLeftOutOfTheSignature() throws {
    let credentials = SigV4Credentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "t/k")
    var options = SigV4Options.s3
    options.omitSessionToken = true
    let signer = SigV4Signer(credentials: credentials, service: "s3", region: "us-east-1", options: options)
    let signed = try signer.presign(Self.request, payload: .unsigned, expires: 60, date: Self.date)
    #expect(!signed.canonicalRequest.query.contains("X-Amz-Security-Token"))
    #expect(signed.parameters.map(\.name).suffix(2) == ["X-Amz-Security-Token", "X-Amz-Signature"])
    #expect(signed.encodedParameters.contains("&X-Amz-Security-Token=t%2Fk&"))
  }

  @Test func authenticationParametersInTheRequestAreRefused() {
    let request = SigV4Request(method: "GET", target: "/k?X-Amz-Signature=abc", headers: [S3SigningTests.host])
    #expect(throws: SigV4Error.reservedName("X-Amz-Signature")) {
      try Self.signer.presign(request, payload: .unsigned, expires: 60, date: Self.date)
    }
  }
}
