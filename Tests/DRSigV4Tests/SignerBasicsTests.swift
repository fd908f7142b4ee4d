import DRSigV4
import Foundation
import Testing

@Suite struct SignerBasicsTests {
  static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  static let credentials = SigV4Credentials(accessKeyID: "AKID", secretAccessKey: secret, sessionToken: "TOKEN123")

  @Test(arguments: [
    (0.0, "19700101T000000Z"), (1_369_353_600, "20130524T000000Z"), (1_440_938_160.9, "20150830T123600Z"),
    (951_825_600, "20000229T120000Z"), (4_102_444_799, "20991231T235959Z"), (-1, "19691231T235959Z"),
  ])
  func timestamps(seconds: Double, amzDate: String) {
    let timestamp = SigV4Timestamp(Date(timeIntervalSince1970: seconds))
    #expect(timestamp.amzDate == amzDate)
    #expect(timestamp.day == String(amzDate.prefix(8)))
  }

  @Test func cachedSigningKeyIsReusedOnlyForItsScope() throws {
    let signer = SigV4Signer(credentials: Self.credentials, service: "s3", region: "us-east-1", options: .s3)
    let request = SigV4Request(method: "GET", path: "/b/k", headers: [SigV4Header("Host", "h")])
    let morning = Date(timeIntervalSince1970: 1_369_353_600)
    let evening = morning.addingTimeInterval(23 * 3600)
    let key = signer.signingKey(for: morning)
    let fresh = try signer.signHeaders(request, payload: .empty, date: evening)
    let cached = try signer.signHeaders(request, payload: .empty, date: evening, signingKey: key)
    #expect(cached.signature == fresh.signature)
    #expect(cached.signingKey == key)
    let nextDay = try signer.signHeaders(
      request, payload: .empty, date: morning.addingTimeInterval(86_400), signingKey: key)
    #expect(nextDay.signingKey.scope.day == "20130525")
    #expect(nextDay.signingKey != key)
  }

  @Test func secretsNeverPrint() throws {
    let signer = SigV4Signer(credentials: Self.credentials, service: "s3", region: "us-east-1")
    let key = signer.signingKey(for: Date(timeIntervalSince1970: 0))
    var dumped = ""
    dump(signer, to: &dumped)
    dump(key, to: &dumped)
    let printed = [String(describing: signer), String(reflecting: signer), "\(Self.credentials)", "\(key)", dumped]
    for text in printed {
      #expect(!text.contains(Self.secret))
      #expect(!text.contains("TOKEN123"))
      #expect(text.contains("AKID"))
    }
  }

  @Test func errorsAreDescribedWithoutSecrets() {
    let errors: [SigV4Error] = [
      .expiryOutOfRange(seconds: 604_801), .missingHost, .invalidHeaderName("a b"), .reservedName("X-Amz-Date"),
      .pathNotAbsolute("x"), .pathNotEncoded("/a b"),
    ]
    for error in errors {
      #expect(!error.description.isEmpty)
      #expect(!error.description.contains(Self.secret))
    }
  }

  @Test func requestsMissingHostOrWithBadHeadersAreRefused() {
    let signer = SigV4Signer(credentials: Self.credentials, service: "service", region: "us-east-1")
    let date = Date(timeIntervalSince1970: 0)
    let noHost = SigV4Request(method: "GET", path: "/", headers: [])
    #expect(throws: SigV4Error.missingHost) { try signer.signHeaders(noHost, payload: .empty, date: date) }
    let badName = SigV4Request(method: "GET", path: "/", headers: [SigV4Header("Host", "h"), SigV4Header("a b", "")])
    #expect(throws: SigV4Error.invalidHeaderName("a b")) {
      try signer.signHeaders(badName, payload: .empty, date: date)
    }
    let ownDate = SigV4Request(
      method: "GET", path: "/", headers: [SigV4Header("Host", "h"), SigV4Header("X-Amz-Date", "")])
    #expect(throws: SigV4Error.reservedName("X-Amz-Date")) {
      try signer.signHeaders(ownDate, payload: .empty, date: date)
    }
    let relative = SigV4Request(method: "GET", path: "a", headers: [SigV4Header("Host", "h")])
    #expect(throws: SigV4Error.pathNotAbsolute("a")) { try signer.signHeaders(relative, payload: .empty, date: date) }
  }

  @Test func hopByHopHeadersAreNotSigned() throws {
    let signer = SigV4Signer(credentials: Self.credentials, service: "service", region: "us-east-1")
    let headers = [
      SigV4Header("Host", "h"), SigV4Header("User-Agent", "dr/1.0"), SigV4Header("Expect", "100-continue"),
    ]
    let request = SigV4Request(method: "PUT", path: "/", headers: headers)
    let signed = try signer.signHeaders(request, payload: .empty, date: Date(timeIntervalSince1970: 0))
    #expect(signed.canonicalRequest.headers.signedHeaders == "host;x-amz-date;x-amz-security-token")
  }
}
