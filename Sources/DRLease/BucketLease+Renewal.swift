import DRCore
import DRS3
import Foundation
import Logging

extension BucketLease {
  /// Renews the lease now, conditionally on what we last wrote. Throws `LeaseError(.lost)`
  /// (and the lease is lost) when it is no longer ours; a storage error when the renewal
  /// could not be written (the lease may still be ours).
  public func renew() async throws {
    switch state {
    case .lost(let error): throw error
    case .ended: return
    case .held: break
    }
    if !probed { await probeFencing() }
    var next = record
    next.expiresAt = Date().addingTimeInterval(ttl)
    next = try Self.stored(next)
    let body = try LeaseJSON.encode(next)
    pending = body
    switch try await write(body, over: etag) {
    case .written(let etag):
      self.etag = etag
      written = body
      pending = nil
      record = next
      confirmedExpiry = next.expiresAt
    case .changed(let current):
      let error = lossError(current)
      lose(error)
      throw error
    }
  }

  func startRenewing() {
    let interval = max(0.1, ttl / 3)
    renewal = Task { [weak self] in
      var wait = interval
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(wait))
        guard !Task.isCancelled, let self, let next = await self.renewalRound(interval: interval) else { return }
        wait = next
      }
    }
  }

  /// One renewal, given until the announced expiry less a margin (TTL/6): past that,
  /// another may take the lease over, so it is lost. The wait before the next round (a
  /// shorter one after a failure), or nil when the lease is no longer held.
  func renewalRound(interval: TimeInterval) async -> TimeInterval? {
    guard case .held = state else { return nil }
    let deadline = confirmedExpiry.addingTimeInterval(-max(0, ttl / 6))
    do {
      try await Self.before(deadline) { try await self.renew() }
      return interval
    } catch is LeaseError {
      return nil
    } catch {
      if Task.isCancelled { return nil }
      guard Date() < deadline, !(error is Deadline) else {
        lose(
          LeaseError(
            .lost,
            "could not renew the lease \(object.url) before its expiry at "
              + "\(confirmedExpiry.formatted(.iso8601)) (\(error)): another run may take it over, so this one stopped"))
        return nil
      }
      logger.warning("could not renew the lease \(object.url): \(error); trying again")
      return max(0.1, min(interval, ttl / 12))
    }
  }

  /// The lease is no longer ours: stop renewing, stop the guarded work. Nothing is
  /// written or deleted from now on.
  func lose(_ error: LeaseError) {
    guard case .held = state else { return }
    state = .lost(error)
    renewal?.cancel()
    renewal = nil
    logger.warning("lease lost: \(error)")
    for cancel in guards.values { cancel() }
  }

  func lossError(_ current: LeaseSnapshot?) -> LeaseError {
    guard let current else {
      return LeaseError(
        .lost, "the lease \(object.url) was deleted while this run held it; this run stopped and does not re-create it")
    }
    guard let other = try? Self.decode(current, at: object) else {
      return LeaseError(
        .lost, "the lease \(object.url) was replaced by an object that is not a lease; this run stopped and leaves it")
    }
    return LeaseError(
      .lost,
      "another run took the lease \(object.url) over: \(other), since \(other.acquiredAt.formatted(.iso8601)) "
        + "(expiring \(other.expiresAt.formatted(.iso8601))); this run stopped and leaves the lease to it",
      holder: other.description)
  }

  /// The deadline passed before the renewal ended.
  struct Deadline: Error, CustomStringConvertible {
    var description: String { "no answer in time" }
  }

  /// Runs `operation` until `deadline`; past it, cancels it and throws `Deadline`.
  static func before(_ deadline: Date, _ operation: @escaping @Sendable () async throws -> Void) async throws {
    guard deadline > Date() else { throw Deadline() }
    try await withThrowingTaskGroup(of: Bool.self) { group in
      group.addTask {
        try await operation()
        return true
      }
      group.addTask {
        try await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
        return false
      }
      defer { group.cancelAll() }
      guard try await group.next() == true else { throw Deadline() }
    }
  }
}
