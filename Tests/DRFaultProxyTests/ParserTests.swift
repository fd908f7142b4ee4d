import Testing

@testable import DRTestSupport

struct ParserTests {
  @Test func requestHeadGivesMethodPathQueryAndFraming() throws {
    let head = try #require(parse("PUT /b/k?partNumber=3&uploadId=u HTTP/1.1\r\nContent-Length: 12\r\n"))
    #expect(head.method == "PUT")
    #expect(head.path == "/b/k")
    #expect(head.query == "partNumber=3&uploadId=u")
    #expect(head.framing == .length(12))
    #expect(!head.expectsContinue)
  }

  @Test func chunkedWinsAndExpectIsSeen() throws {
    let head = try #require(
      parse("PUT /k HTTP/1.1\r\ntransfer-encoding: gzip, Chunked\r\nEXPECT:  100-Continue \r\nContent-Length: 4\r\n"))
    #expect(head.framing == .chunked)
    #expect(head.expectsContinue)
  }

  @Test func absoluteTargetsAreSplitToo() throws {
    let head = try #require(parse("GET http://127.0.0.1:7480/b/k?list-type=2 HTTP/1.1\r\n"))
    #expect(head.path == "/b/k")
    #expect(head.query == "list-type=2")
    #expect(head.framing == BodyFraming.none)
  }

  @Test(arguments: [
    "GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n",
    "GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n",
    "GET / HTTP/1.1\r\nContent-Length: -1\r\n",
    "GET /\r\n",
    "SSH-2.0-OpenSSH\r\n",
  ])
  func unusableHeadsAreNotParsed(_ text: String) {
    #expect(parse(text) == nil)
  }

  @Test func chunkedBodyEndsExactlyAfterItsTrailer() {
    let body: [UInt8] = Array("5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nx-sum: 1\r\n\r\n".utf8)
    let next: [UInt8] = Array("GET /next HTTP/1.1\r\n\r\n".utf8)
    var scanner = ChunkedBodyScanner()
    #expect(scanner.consume((body + next)[...]) == body.count)
    #expect(scanner.isComplete)
  }

  @Test func chunkedBodySplitAnywhereEndsAtTheSamePlace() {
    let body: [UInt8] = Array("3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n".utf8)
    var scanner = ChunkedBodyScanner()
    var consumed = 0
    for byte in body + [71] where !scanner.isComplete {
      consumed += scanner.consume([byte][...]) ?? -1000
    }
    #expect(consumed == body.count)
  }

  @Test(arguments: ["zz\r\n", "5\r\nhelloXY", String(repeating: "1", count: 9000)])
  func malformedChunkedBodiesAreRefused(_ text: String) {
    var scanner = ChunkedBodyScanner()
    #expect(scanner.consume(Array(text.utf8)[...]) == nil)
  }

  @Test func responseCutterCountsTheFinalBodyOnly() {
    let drop = PendingDrop(id: .init(value: 1), direction: .serverToClient, afterBytes: 4, reset: false)
    var cutter = ResponseCutter(drop)
    let interim: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    let final: [UInt8] = Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".utf8)
    #expect(cutter.cutOffset(in: interim[...]) == nil)
    #expect(cutter.cutOffset(in: final.prefix(10)) == nil)
    #expect(cutter.cutOffset(in: (final.dropFirst(10) + Array("abc".utf8))[...]) == nil)
    #expect(cutter.cutOffset(in: Array("defgh".utf8)[...]) == 1)
  }

  private func parse(_ head: String) -> RequestHead? {
    RequestHead(Array((head + "\r\n").utf8)[...])
  }
}
