import DRCore
import DRTestSupport
import Foundation
import Testing

/// Servers that answer with something other than S3: a loopback server posing as S3 gives
/// captive-portal pages, proxy error pages, truncated or foreign XML, endless listings and
/// binary garbage. Every command fails (never "no backups"), names what it got, puts no
/// control character on the terminal, and ends (the retry budget is short).
struct GarbageAnswerTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let label: String
    let answer: LoopbackHTTPServer.Response
    /// What the listing commands (list, prune, report, verify, s3 ls) must say.
    let says: String
    /// Whether `dr check` finds the storage unusable (one page of an endless listing reads).
    var checkFails = true
    var testDescription: String { label }
  }

  static let portal =
    "<html><head><title>Wi-Fi login</title></head><body><form>Please log in</form></body></html>"

  static let cases: [Case] = [
    Case(
      label: "captive portal page (200)",
      answer: LoopbackHTTPServer.Response(status: 200, headers: [("Content-Type", "text/html")], text: portal),
      says: "an HTML page (\"Wi-Fi login\") instead of an S3 answer"),
    Case(
      label: "proxy error page (502)",
      answer: LoopbackHTTPServer.Response(
        status: 502, headers: [("Content-Type", "text/html")],
        text: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"),
      says: "unreadable answer (HTTP 502): an HTML page (\"502 Bad Gateway\")"),
    Case(
      label: "truncated XML (200)", answer: .xml("<?xml version=\"1.0\"?><ListBucketResult><Contents><Key>a"),
      says: "not an S3 XML answer"),
    Case(
      label: "XML of another request (200)",
      answer: .xml("<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>"),
      says: "expected <ListBucketResult>, got <ListAllMyBucketsResult>"),
    Case(
      label: "a listing that never ends (200)",
      answer: .xml(
        "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>again</NextContinuationToken>"
          + "</ListBucketResult>"),
      says: "repeated a continuation token", checkFails: false),
    Case(
      label: "binary garbage (500)",
      answer: LoopbackHTTPServer.Response(status: 500, body: [0x00, 0xFF, 0x1B, 0x5B, 0x32, 0x4A, 0x07, 0x41]),
      says: "not an S3 XML answer"),
    Case(
      label: "error document with control characters (403)",
      answer: .xml(
        "<Error><Code>AccessDenied</Code><Message>\u{1B}[2J\u{1B}]0;owned\u{07}no</Message></Error>", status: 403),
      says: "403 AccessDenied"),
    Case(
      label: "entity expansion (200)",
      answer: .xml("<!DOCTYPE a [<!ENTITY x \"yyyy\">]><ListBucketResult><Name>&x;</Name></ListBucketResult>"),
      says: "not an S3 XML answer"),
    Case(label: "empty answer (200)", answer: LoopbackHTTPServer.Response(status: 200), says: "not an S3 XML answer"),
    Case(label: "connection dropped", answer: .drop, says: "no answer"),
  ]

  static let listing: [[String]] = [["list"], ["prune"], ["report"], ["verify"], ["s3", "ls", "s3://dr-fake/p/"]]

  @Test(arguments: cases)
  func everyCommandFailsNamingWhatItGot(_ testCase: Case) async throws {
    let server = try LoopbackHTTPServer { _ in testCase.answer }
    defer { server.stop() }
    let directory = TemporaryDirectory.unique("dr-garbage")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let policy = "\(directory)/policy.yaml"
    try """
    name: garbage
    database: {url: "postgresql://nobody@127.0.0.1:1/none"}
    storage: {url: "s3://dr-fake/p/", endpoint: "\(server.baseURL)", region: us-east-1}

    """.write(toFile: policy, atomically: true, encoding: .utf8)
    let environment: [String: String?] = [
      "AWS_ACCESS_KEY_ID": "AKIDGARBAGETEST", "AWS_SECRET_ACCESS_KEY": "garbage-test-secret-key",
      "AWS_SESSION_TOKEN": nil, "AWS_ENDPOINT_URL": server.baseURL, "DR_S3_RETRY_ATTEMPTS": "2",
      "DR_S3_RETRY_SECONDS": "2",
    ]
    var tally = FaultTally("server answer: \(testCase.label)")
    for arguments in Self.listing + [["backup"], ["check"]] {
      let result = try await DRBinary.run(arguments + ["--policy", policy], environment: environment)
      tally.badInputs += 1
      #expect(result.status == 1, "\(arguments): \(result.combined)")
      #expect(!result.combined.contains("\u{1B}") && !result.combined.contains("\u{07}"), "\(arguments)")
      #expect(!result.standardOutput.contains("no backups"), "\(arguments): \(result.standardOutput)")
      if Self.listing.contains(arguments) {
        #expect(result.standardError.contains(testCase.says), "\(arguments): \(result.standardError)")
      } else if arguments == ["check"] {
        #expect(result.standardOutput.contains("FAILED  storage") == testCase.checkFails, "\(result.combined)")
      } else {
        #expect(result.standardError.hasPrefix("dr: ") || result.standardError.contains("\ndr: "), "\(result.combined)")
      }
    }
    #expect(!server.requests.isEmpty, "the commands asked the fake server")
    await FaultLedger.record(tally)
  }
}

/// Garbage answers from between dr and the real RGW, during a backup (the fault proxy).
@Suite(.scenarioGate)
struct GarbageAnswerBackupTests {
  @Test func aGarbageAnswerToStartingTheUploadFailsCleanly() async throws {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    let fixture = try await BackupFixture.make("garbagestart", endpoint: proxy.endpoint, fillerRows: 200_000)
    let page = FaultProxy.Response(
      status: 200, reason: "OK", headers: [.init("Content-Type", "text/html")],
      body: Array(GarbageAnswerTests.portal.utf8))
    let fault = proxy.injectHTTPFault(
      .respond(page), budget: .always, filter: .init(method: "POST", pathContains: "dump.pgc", queryContains: "uploads")
    )
    let backup = try await fixture.run(["backup"])
    #expect(backup.status == 1, "\(backup.combined)")
    #expect(
      backup.standardError.contains("expected <InitiateMultipartUploadResult>, got <html>"), "\(backup.standardError)")
    let state = EndState(fixture)
    #expect(try await state.entries(all: true).isEmpty, "dr removed what it wrote")
    var tally = FaultTally("200 HTML page answering CreateMultipartUpload")
    tally.faults = proxy.counters.faultsInjected
    tally.badInputs = 1
    proxy.remove(fault)
    try await state.check(tally)
    await fixture.remove()
  }

  @Test func proxyErrorPagesOnPartsAreRetried() async throws {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    defer { proxy.stop() }
    let fixture = try await BackupFixture.make("garbageparts", endpoint: proxy.endpoint, fillerRows: 200_000)
    let page = FaultProxy.Response(
      status: 502, reason: "Bad Gateway", headers: [.init("Content-Type", "text/html")],
      body: Array("<html><head><title>502 Bad Gateway</title></head></html>".utf8))
    // passFirst: the first part PUT is the payload hash probe (one byte), not a part.
    proxy.injectHTTPFault(
      .respond(page), budget: .times(2), filter: .init(method: "PUT", queryContains: "partNumber="), passFirst: 1)
    let backup = try await fixture.run(["backup"], ["DR_S3_RETRY_SECONDS": "30"])
    #expect(backup.status == 0, "\(backup.combined)")
    #expect(proxy.counters.injected(.response) == 2)
    var tally = FaultTally("502 HTML pages answering two parts")
    tally.faults = proxy.counters.faultsInjected
    tally.badInputs = 2
    try await EndState(fixture).check(tally)
    await fixture.remove()
  }
}
