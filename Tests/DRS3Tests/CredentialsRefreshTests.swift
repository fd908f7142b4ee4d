import Foundation
import Synchronization
import Testing

@testable import DRS3

/// The cache of temporary credentials, with a clock the tests move.
struct CredentialsRefreshTests {
  /// A fetch that counts its calls and hands out keys valid for an hour from the clock.
  final class Source: Sendable {
    let clock: TestClock
    let calls = Atomic<Int>(0)
    let failing = Atomic<Bool>(false)
    let delay: Duration

    init(clock: TestClock, delay: Duration = .zero) {
      self.clock = clock
      self.delay = delay
    }

    var fetch: @Sendable () async throws -> S3Credentials {
      {
        let call = self.calls.add(1, ordering: .sequentiallyConsistent).newValue
        if self.delay > .zero { try await Task.sleep(for: self.delay) }
        if self.failing.load(ordering: .sequentiallyConsistent) { throw MetadataFailure(reason: "down") }
        return S3Credentials(
          accessKeyID: "AKIA\(call)", secretAccessKey: FakeKeys.metadataSecret,
          expiration: self.clock.date.addingTimeInterval(3600), source: "test")
      }
    }

    var count: Int { calls.load(ordering: .sequentiallyConsistent) }
  }

  @Test func concurrentCallersShareOneFetch() async throws {
    let clock = TestClock()
    let source = Source(clock: clock, delay: .milliseconds(100))
    let provider = RefreshingCredentialsProvider(source: "test", now: clock.now, fetch: source.fetch)
    let ids = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<50 { group.addTask { try await provider.credentials().accessKeyID } }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(ids == ["AKIA1"])
    #expect(source.count == 1)
  }

  @Test func keysAreFetchedAgainFiveMinutesBeforeTheyExpire() async throws {
    let clock = TestClock()
    let source = Source(clock: clock)
    let provider = RefreshingCredentialsProvider(source: "test", now: clock.now, fetch: source.fetch)
    #expect(try await provider.credentials().accessKeyID == "AKIA1")
    clock.advance(54 * 60)
    #expect(try await provider.credentials().accessKeyID == "AKIA1")
    clock.advance(60 + 1)
    #expect(try await provider.credentials().accessKeyID == "AKIA2")
    #expect(try await provider.credentials().accessKeyID == "AKIA2")
    #expect(source.count == 2)
  }

  @Test func aSeededProviderDoesNotFetchUntilNeeded() async throws {
    let clock = TestClock()
    let source = Source(clock: clock)
    let initial = try await source.fetch()
    let provider = RefreshingCredentialsProvider(source: "test", initial: initial, now: clock.now, fetch: source.fetch)
    #expect(try await provider.credentials() == initial)
    #expect(source.count == 1)
  }

  @Test func aFailedRefreshKeepsValidKeysAndRetriesLater() async throws {
    let clock = TestClock()
    let source = Source(clock: clock)
    let provider = RefreshingCredentialsProvider(source: "test", now: clock.now, fetch: source.fetch)
    _ = try await provider.credentials()
    source.failing.store(true, ordering: .sequentiallyConsistent)
    clock.advance(56 * 60)
    #expect(try await provider.credentials().accessKeyID == "AKIA1")
    #expect(source.count == 2)
    clock.advance(10)
    #expect(try await provider.credentials().accessKeyID == "AKIA1")
    #expect(source.count == 2, "no new attempt within the retry interval")
    clock.advance(30)
    #expect(try await provider.credentials().accessKeyID == "AKIA1")
    #expect(source.count == 3)
    source.failing.store(false, ordering: .sequentiallyConsistent)
    clock.advance(30)
    #expect(try await provider.credentials().accessKeyID == "AKIA4")
  }

  @Test func expiredKeysAreNeverHandedOut() async throws {
    let clock = TestClock()
    let source = Source(clock: clock)
    let provider = RefreshingCredentialsProvider(source: "test", now: clock.now, fetch: source.fetch)
    _ = try await provider.credentials()
    source.failing.store(true, ordering: .sequentiallyConsistent)
    clock.advance(3601)
    await #expect(throws: MetadataFailure(reason: "down")) { try await provider.credentials() }
  }

  @Test func keysWithoutExpiryAreKept() async throws {
    let calls = Atomic<Int>(0)
    let provider = RefreshingCredentialsProvider(source: "test") {
      calls.add(1, ordering: .relaxed)
      return S3Credentials(accessKeyID: "AKIA", secretAccessKey: "s3cr3t-value", source: "test")
    }
    for _ in 0..<3 { _ = try await provider.credentials() }
    #expect(calls.load(ordering: .relaxed) == 1)
  }
}
