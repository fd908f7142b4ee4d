import DRLease
import DRS3
import DRTestSupport
import Foundation
import Synchronization
import Testing

/// Storage that does not fence: `BucketLease` notices and falls back to read, compare,
/// then write, and says so once. Ceph RGW cannot be made to ignore or refuse `If-Match`
/// (it honours it on PUT, with the bare ETag), so these run against a scripted loopback
/// server that keeps objects in memory.
struct LeaseFencingFallbackTests {
  @Test func aServerThatIgnoresIfMatchIsFoundByTheProbe() async throws {
    let storage = try ScriptedStorage(.ignoresConditions)
    defer { storage.server.stop() }
    let log = LogCapture()
    let object = LeaseObject(client: try LeaseBucket.client(endpoint: storage.server.baseURL), bucket: "b", key: "lock")
    guard
      case .taken(let lease) = try await TestLease.acquire(
        .mine("a"), at: object, ttl: 60, renewing: false, logger: log.logger)
    else {
      Issue.record("the empty storage's lease must be taken")
      return
    }
    guard case .readCompareWrite(let reason) = await lease.fencing else {
      Issue.record("a storage that ignores If-Match must be found out, got \(await lease.fencing)")
      return
    }
    #expect(reason.contains("ignores If-Match"))
    #expect(
      storage.server.requests.contains {
        $0.method == "PUT" && $0.header("If-Match") == "\"\(String(repeating: "0", count: 32))\""
      })
    try await lease.renew()
    try await lease.renew()
    #expect(storage.server.requests.filter { $0.method == "PUT" }.last?.header("If-Match") == nil)
    let warnings = log.messages.filter { $0.contains("not fenced") }
    #expect(warnings.count == 1, "said once: \(log.messages)")
    #expect(warnings.first?.contains(storage.server.baseURL) == true, "names the storage: \(warnings)")
    // Read, compare, write still finds another holder's lease, and leaves it.
    let other = TestHolder.foreign("b")
    storage.store("/b/lock", try LeaseJSON.encode(other))
    let lost = await #expect(throws: LeaseError.self) { try await lease.renew() }
    #expect(lost?.code == .lost)
    #expect(await !lease.release())
    #expect(try storage.object("/b/lock").map { try LeaseJSON.decode(TestHolder.self, from: $0) } == other)
  }

  @Test func aServerThatRefusesEveryIfMatchFallsBackAtTheFirstRenewal() async throws {
    let storage = try ScriptedStorage(.refusesIfMatch)
    defer { storage.server.stop() }
    let log = LogCapture()
    let object = LeaseObject(client: try LeaseBucket.client(endpoint: storage.server.baseURL), bucket: "b", key: "lock")
    guard
      case .taken(let lease) = try await TestLease.acquire(
        .mine("a"), at: object, ttl: 60, renewing: false, logger: log.logger)
    else {
      Issue.record("the empty storage's lease must be taken")
      return
    }
    #expect(await lease.fencing == .ifMatch(nil), "the probe's 412 looks fenced")
    try await lease.renew()
    guard case .readCompareWrite(let reason) = await lease.fencing else {
      Issue.record("412 to both forms of the object's own ETag must end fencing, got \(await lease.fencing)")
      return
    }
    #expect(reason.contains("answers 412"))
    let conditions = storage.server.requests.filter { $0.method == "PUT" }.compactMap { $0.header("If-Match") }
    let etag = conditions.last ?? ""
    #expect(conditions.suffix(2) == ["\"\(etag)\"", etag], "the quoted form, then the bare one: \(conditions)")
    #expect(
      try storage.object("/b/lock").map { try LeaseJSON.decode(TestHolder.self, from: $0) } == (await lease.record))
    #expect(log.messages.filter { $0.contains("not fenced") }.count == 1, "\(log.messages)")
    #expect(await lease.release())
    #expect(storage.object("/b/lock") == nil)
  }
}

/// An in-memory object store on a loopback server, with a scripted view of conditions.
struct ScriptedStorage {
  enum Conditions: Sendable {
    /// 200 to every conditional request, as if the headers were not there.
    case ignoresConditions
    /// `If-None-Match: *` honoured; 412 to every `If-Match`, right or wrong.
    case refusesIfMatch
  }

  let server: LoopbackHTTPServer
  private let objects: Objects

  init(_ conditions: Conditions) throws {
    let objects = Objects()
    self.objects = objects
    server = try LoopbackHTTPServer { request in objects.answer(request, conditions) }
  }

  func store(_ path: String, _ bytes: [UInt8]) { objects.store(path, bytes) }

  func object(_ path: String) -> [UInt8]? { objects.object(path) }

  private final class Objects: Sendable {
    private struct Stored {
      var bytes: [UInt8]
      var etag: String
    }

    private let objects = Mutex<[String: Stored]>([:])
    private let versions = Atomic<Int>(0)

    @discardableResult
    func store(_ path: String, _ bytes: [UInt8]) -> String {
      let etag = "etag\(versions.add(1, ordering: .relaxed).newValue)"
      objects.withLock { $0[path] = Stored(bytes: bytes, etag: etag) }
      return etag
    }

    func object(_ path: String) -> [UInt8]? { objects.withLock { $0[path]?.bytes } }

    func answer(_ request: LoopbackHTTPServer.Request, _ conditions: Conditions) -> LoopbackHTTPServer.Response {
      let current = objects.withLock { $0[request.path] }
      switch request.method {
      case "PUT":
        if conditions == .refusesIfMatch,
          request.header("If-Match") != nil || (request.header("If-None-Match") != nil && current != nil)
        {
          return Self.error(412, "PreconditionFailed")
        }
        return LoopbackHTTPServer.Response(headers: [("ETag", "\"\(store(request.path, request.body))\"")])
      case "GET", "HEAD":
        guard let current else { return Self.error(404, "NoSuchKey") }
        return LoopbackHTTPServer.Response(
          headers: [("ETag", "\"\(current.etag)\""), ("Last-Modified", "Sun, 06 Dec 2026 05:00:00 GMT")],
          body: current.bytes)
      case "DELETE":
        objects.withLock { _ = $0.removeValue(forKey: request.path) }
        return LoopbackHTTPServer.Response(status: 204)
      default:
        return Self.error(405, "MethodNotAllowed")
      }
    }

    private static func error(_ status: Int, _ code: String) -> LoopbackHTTPServer.Response {
      .xml("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>scripted</Message></Error>", status: status)
    }
  }
}
