import DRSigV4
import Testing

/// Every case of the AWS SigV4 suite signed with the `Authorization` header, one test per stage.
@Suite struct SuiteHeaderTests {
  @Test(arguments: SuiteCase.names)
  func canonicalRequest(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.signHeaders().canonicalRequest.text
    let expected = try suiteCase.expected("header-canonical-request.txt")
    #expect(actual == expected)
  }

  @Test(arguments: SuiteCase.names)
  func stringToSign(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.signHeaders().stringToSign
    let expected = try suiteCase.expected("header-string-to-sign.txt")
    #expect(actual == expected)
  }

  @Test(arguments: SuiteCase.names)
  func signature(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.signHeaders().signature
    let expected = try suiteCase.expected("header-signature.txt")
    #expect(actual == expected)
  }

  @Test(arguments: SuiteCase.names)
  func signedRequest(_ name: String) throws {
    let suiteCase = try SuiteCase(name)
    let actual = try suiteCase.headerSignedRequest()
    let expected = try suiteCase.expected("header-signed-request.txt")
    #expect(actual == expected)
  }
}
