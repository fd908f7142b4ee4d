import DRHTTP
import Testing

@testable import DRS3

struct S3XMLTests {
  @Test func parsesAnS3ListingWithEntitiesAndNamespace() throws {
    let xml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Name>b</Name><IsTruncated>false</IsTruncated>
        <Contents><Key>a &amp; b &lt;c&gt; &#233;&#x65E5;</Key><Size>12</Size><ETag>&quot;abc&quot;</ETag></Contents>
        <Contents><Key><![CDATA[raw <cdata>]]></Key><Size>0</Size></Contents>
        <Empty/>
      </ListBucketResult>
      """
    let root = try S3XMLParser.parse(Array(xml.utf8))
    #expect(root.name == "ListBucketResult")
    let contents = root.children("Contents")
    #expect(contents.map { $0.value("Key") } == ["a & b <c> é日", "raw <cdata>"])
    #expect(contents[0].value("ETag") == "\"abc\"")
    #expect(root.child("Empty")?.text == "")
  }

  @Test(arguments: [
    "", "not xml at all", "<a><b></a>", "<a>", "<a></a><b></b>", "<a>&unknown;</a>", "<a>&#xFFFFFFFF;</a>",
    "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "<a attr=unquoted></a>", String(repeating: "<a>", count: 100),
  ])
  func refusesMalformedDocuments(_ text: String) {
    #expect(throws: XMLParseError.self) { try S3XMLParser.parse(Array(text.utf8)) }
  }

  @Test func writerEscapes() {
    #expect(XMLWriter.element("Key", "a&b<c>\"'") == "<Key>a&amp;b&lt;c&gt;&quot;&apos;</Key>")
  }

  @Test func errorDocumentBecomesTypedError() {
    let body = "<Error><Code>SlowDown</Code><Message>Please reduce</Message><RequestId>r-1</RequestId></Error>"
    let response = HTTPResponse(head: HTTPResponseHead(status: 503, headers: []), body: Array(body.utf8))
    let error = S3ErrorParser.error(from: response, operation: "PUT s3://b/k", credentialsSource: nil)
    #expect(error.code == "SlowDown")
    #expect(error.status == 503)
    #expect(error.requestID == "r-1")
    #expect(RetryPolicy.isRetryable(error, idempotent: true))
    #expect(!RetryPolicy.isRetryable(error, idempotent: false))
  }

  @Test func htmlPageBecomesAClearError() {
    let body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    let response = HTTPResponse(head: HTTPResponseHead(status: 502, headers: []), body: Array(body.utf8))
    let error = S3ErrorParser.error(from: response, operation: "GET s3://b/k", credentialsSource: nil)
    #expect(error.kind == .malformedResponse(status: 502))
    #expect(error.description.contains("an HTML page (\"502 Bad Gateway\")"))
    #expect(error.description.contains("is the endpoint an S3 server?"))
  }

  @Test func garbageBodyIsShownPrintably() {
    let response = HTTPResponse(head: HTTPResponseHead(status: 500, headers: []), body: [0x00, 0xFF, 0x41, 0x07])
    let error = S3ErrorParser.error(from: response, operation: "GET s3://b/k", credentialsSource: nil)
    #expect(error.description.contains("not an S3 XML answer"))
    #expect(!error.description.contains("\u{07}"))
  }

  @Test func emptyErrorBodyNamesTheStatus() {
    let response = HTTPResponse(head: HTTPResponseHead(status: 404, headers: []), body: [])
    #expect(S3ErrorParser.error(from: response, operation: "HEAD s3://b/k", credentialsSource: nil).code == "NotFound")
  }

  @Test(arguments: [("a+b", "a b"), ("%E6%97%A5%2B", "日+"), ("plain", "plain"), ("100%", "100%")])
  func urlEncodedKeysDecode(_ encoded: String, _ decoded: String) {
    #expect(S3URLDecoding.decode(encoded) == decoded)
  }
}
