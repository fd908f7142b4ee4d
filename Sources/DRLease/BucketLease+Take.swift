import DRCore
import DRS3
import Foundation
import Logging

extension BucketLease {
  /// How many times the lease may change hands under us while we take it.
  static var takeRounds: Int { 3 }

  /// Takes the lease: nil when it is ours, else its live holder.
  func take() async throws -> Record? {
    for _ in 0..<Self.takeRounds {
      if try await create() { return nil }
      guard let current = try await object.read() else { continue }  // Released meanwhile.
      let other: Record
      do {
        other = try Self.decode(current, at: object)
      } catch {
        // Nothing renews an object that is not a lease: once older than a lease's lifetime,
        // no running holder can own it.
        guard let written = current.lastModified, Date().timeIntervalSince(written) > ttl else {
          throw LeaseError(
            .unreadable, "\(error.message); it is replaced once it is \(Self.lifetime(ttl)) old (or delete it)")
        }
        logger.warning("replacing the unreadable lease \(object.url), written at \(written.formatted(.iso8601))")
        if try await replace(current) { return nil }
        continue
      }
      guard other.isAbandoned() else { return other }
      logger.warning(
        "taking over the abandoned lease \(object.url) of \(other) (expiring \(other.expiresAt.formatted(.iso8601)))")
      if try await replace(current) { return nil }
    }
    throw LeaseError(
      .contended, "the lease \(object.url) changed hands \(Self.takeRounds) times while being taken; try again")
  }

  /// Creates the lease if absent; true when it is ours afterwards.
  private func create() async throws -> Bool {
    let body = try LeaseJSON.encode(record)
    guard let etag = try await object.create(body) else { return false }
    return try await confirm(body, etag: etag)
  }

  /// Writes our record over `current` (an abandoned or unreadable lease) while it is still
  /// that object; true when it is ours afterwards.
  private func replace(_ current: LeaseSnapshot) async throws -> Bool {
    let body = try LeaseJSON.encode(record)
    guard case .written(let etag) = try await write(body, over: current.etag) else { return false }
    return try await confirm(body, etag: etag)
  }

  /// Reads the lease back: ours when it holds what we wrote (a server that ignores the
  /// condition may have let another writer in after us).
  private func confirm(_ body: [UInt8], etag: String) async throws -> Bool {
    guard let back = try await object.read(), back.bytes == body else { return false }
    self.etag = etag.isEmpty ? back.etag : etag
    written = body
    confirmedExpiry = record.expiresAt
    return true
  }

  /// `10 minutes`, `60 s`.
  static func lifetime(_ ttl: TimeInterval) -> String {
    ttl >= 120 && ttl.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(ttl / 60)) minutes" : "\(Int(ttl)) s"
  }
}
