import Foundation

/// Temporary credentials (container, EC2 instance role), cached and fetched again shortly
/// before they expire. Concurrent callers share one fetch. When a fetch fails while the
/// cached keys are still valid, those are used and the fetch is tried again later, so a
/// metadata hiccup does not fail a backup.
public actor RefreshingCredentialsProvider: S3CredentialsProvider {
  public nonisolated let source: String
  /// How long before expiry the keys are fetched again.
  public nonisolated let refreshMargin: TimeInterval
  /// The least time between two fetches while cached keys are still valid.
  public nonisolated let retryInterval: TimeInterval
  private let now: @Sendable () -> Date
  private let fetch: @Sendable () async throws -> S3Credentials
  private var cached: S3Credentials?
  private var lastAttempt: Date?
  private var inFlight: Task<S3Credentials, any Error>?

  /// `initial` seeds the cache (the fetch that chose this source); `now` is the clock
  /// expiry is judged by (tests move it).
  public init(
    source: String, initial: S3Credentials? = nil, refreshMargin: TimeInterval = 300, retryInterval: TimeInterval = 30,
    now: @escaping @Sendable () -> Date = Date.init, fetch: @escaping @Sendable () async throws -> S3Credentials
  ) {
    self.source = source
    self.cached = initial
    self.lastAttempt = initial == nil ? nil : now()
    self.refreshMargin = refreshMargin
    self.retryInterval = retryInterval
    self.now = now
    self.fetch = fetch
  }

  public func credentials() async throws -> S3Credentials {
    let current = now()
    if let cached, !needsFetch(cached, at: current) { return cached }
    do {
      return try await shared()
    } catch {
      if let cached, !Self.isExpired(cached, at: now()) { return cached }
      throw error
    }
  }

  /// Expired keys are always fetched again; keys in their last `refreshMargin` are, at
  /// most once per `retryInterval`.
  private func needsFetch(_ credentials: S3Credentials, at date: Date) -> Bool {
    guard let expiration = credentials.expiration else { return false }
    if expiration <= date { return true }
    guard expiration.timeIntervalSince(date) <= refreshMargin else { return false }
    return lastAttempt.map { date.timeIntervalSince($0) >= retryInterval } ?? true
  }

  private static func isExpired(_ credentials: S3Credentials, at date: Date) -> Bool {
    credentials.expiration.map { $0 <= date } ?? false
  }

  /// The fetch in flight, or a new one; its result becomes the cache.
  private func shared() async throws -> S3Credentials {
    if let inFlight { return try await inFlight.value }
    let task = Task { [fetch] in try await fetch() }
    inFlight = task
    lastAttempt = now()
    defer { inFlight = nil }
    let fresh = try await task.value
    cached = fresh
    return fresh
  }
}
