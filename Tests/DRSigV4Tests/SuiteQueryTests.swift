import DRSigV4
import Testing

/// Every case of the AWS SigV4 suite presigned (signature in the query), one test per stage.
@Suite struct SuiteQueryTests {
  @Test(arguments: SuiteCase.names)
  func canonicalRequest(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.presign().canonicalRequest.text
    let expected = try suiteCase.expected("query-canonical-request.txt")
    #expect(actual == expected)
  }

  @Test(arguments: SuiteCase.names)
  func stringToSign(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.presign().stringToSign
    let expected = try suiteCase.expected("query-string-to-sign.txt")
    #expect(actual == expected)
  }

  @Test(arguments: SuiteCase.names)
  func signature(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.presign().signature
    let expected = try suiteCase.expected("query-signature.txt")
    #expect(actual == expected)
  }

  @Test(arguments: SuiteCase.names)
  func signedRequest(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.querySignedRequest()
    let expected = try suiteCase.expected("query-signed-request.txt")
    #expect(actual == expected)
  }
}

/// Guards the parameterized tests against an empty or partial fixture listing.
@Suite struct SuiteFixtureTests {
  @Test func everyCaseFolderIsFound() {
    #expect(SuiteCase.names.count == 38)
  }

  @Test(arguments: SuiteCase.names)
  func everyCaseHasEveryStageFile(_ name: String) throws {
    let stages = ["canonical-request", "string-to-sign", "signature", "signed-request"]
    for form in ["header", "query"] {
      for stage in stages {
        #expect(throws: Never.self) { try SuiteCase(name).expected("\(form)-\(stage).txt") }
      }
    }
  }
}
