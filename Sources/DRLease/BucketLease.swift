import DRCore
import DRS3
import Foundation
import Logging

/// A lease kept in the bucket: one holder at a time for work that several processes or
/// hosts could start — a policy's backup (`NAME/lock.json`), a worker's scheduled run
/// (`NAME/worker/JOB.lease.json`).
///
/// - **Take**: create the object only if absent (`If-None-Match: *`) and read it back (for
///   servers that ignore the condition). An abandoned lease (expired, or held by a process
///   of this host that no longer exists) and an unreadable one older than the TTL are taken
///   over by a write conditional on the ETag read with them (`If-Match`), never by delete
///   then create: of two takers, one wins.
/// - **Renew** every TTL/3 by a write conditional on the ETag of what we last wrote. A
///   renewal that finds another holder's lease (or none) does not write: the lease is
///   *lost*. So is a lease whose renewals keep failing until its announced expiry is near
///   (TTL/6 before it), since another may take it over then. `guarding` stops the guarded
///   work when that happens. A lost lease is never written, renewed or deleted again.
/// - **Release** only while still ours (see `release()`).
///
/// Servers differ in `If-Match`: AWS takes the quoted form, Ceph RGW 16 the bare ETag (the
/// quoted one fails there), so the quoted form goes first and, on a 412 while the object is
/// still the expected one, the bare one, and the form that worked is kept. A server that
/// answers 412 to both while the object is unchanged does not implement the condition; one
/// that accepts a write under an ETag the lease cannot have (probed once after taking)
/// ignores it. On both, this lease falls back to read, compare, then write, and says so
/// once: a holder that lost the lease could then re-assert it between its read and write.
public actor BucketLease<Record: LeaseRecord> {
  /// What `acquire` found.
  public enum Acquisition: Sendable {
    /// The lease is ours, renewed until released.
    case taken(BucketLease)
    /// Another holder's live lease.
    case held(by: Record)
  }

  /// How renewals are made conditional on this storage.
  public enum Fencing: Sendable, Equatable {
    /// `If-Match`, in the form the server took (nil until one was needed).
    case ifMatch(IfMatchForm?)
    /// The server ignores or refuses `If-Match`: read, compare, then write; and why.
    case readCompareWrite(String)
  }

  enum State {
    case held
    case lost(LeaseError)
    /// Released or abandoned.
    case ended
  }

  public nonisolated let object: LeaseObject
  public nonisolated let ttl: TimeInterval
  let logger: Logger
  /// The record as we last wrote it.
  public internal(set) var record: Record
  /// The ETag of what we last wrote (bare).
  public internal(set) var etag = ""
  public internal(set) var fencing: Fencing = .ifMatch(nil)
  var state = State.held
  /// The bytes we last wrote, and those of a renewal under way (its answer may be lost).
  var written: [UInt8] = []
  var pending: [UInt8]?
  var probed = false
  /// The expiry in the last record the storage confirmed.
  var confirmedExpiry: Date
  var renewal: Task<Void, Never>?
  var guards: [UUID: @Sendable () -> Void] = [:]

  init(record: Record, object: LeaseObject, ttl: TimeInterval, logger: Logger) throws {
    self.record = try Self.stored(record)
    self.object = object
    self.ttl = ttl
    self.logger = logger
    confirmedExpiry = record.expiresAt
  }

  /// Takes the lease for `record`, or names the live holder. Throws `.unreadable` for a
  /// young object there that is not a lease, `.contended` when it changed hands on every
  /// look, and storage errors. `renewing: false` leaves renewals to `renew()` (tests).
  public static func acquire(
    _ record: Record, at object: LeaseObject, ttl: TimeInterval, renewing: Bool = true, logger: Logger
  ) async throws -> Acquisition {
    let lease = try BucketLease(record: record, object: object, ttl: ttl, logger: logger)
    if let other = try await lease.take() { return .held(by: other) }
    await lease.probeFencing()
    if renewing { await lease.startRenewing() }
    return .taken(lease)
  }

  /// Who holds the lease at `object`, if anyone (expired or not); `.unreadable` when the
  /// object there is not a lease (read as "no lease", it would look free or held for ever).
  public static func current(at object: LeaseObject) async throws -> Record? {
    guard let snapshot = try await object.read() else { return nil }
    return try decode(snapshot, at: object)
  }

  /// Deletes the lease at `object` if `shouldRemove` says so of what is there now (its
  /// record, nil when it is not a lease), with `If-Match` on the ETag just read (a server
  /// that ignores it on DELETE, as RGW 16 does, leaves a read-to-delete race); true when
  /// deleted.
  public static func remove(
    at object: LeaseObject, if shouldRemove: (Record?, LeaseSnapshot) -> Bool
  ) async throws -> Bool {
    guard let snapshot = try await object.read() else { return false }
    guard shouldRemove(try? decode(snapshot, at: object), snapshot) else { return false }
    return try await object.delete(ifStill: snapshot.etag, preferring: nil)
  }

  /// Whether the lease is still ours (not lost, released or abandoned).
  public var isHeld: Bool {
    if case .held = state { true } else { false }
  }

  /// Why the lease was lost, once it was.
  public var lostError: LeaseError? {
    if case .lost(let error) = state { error } else { nil }
  }

  /// `record` as it reads back from its object (times to the millisecond), so that the
  /// record a lease holds is the one stored.
  static func stored(_ record: Record) throws -> Record {
    try LeaseJSON.decode(Record.self, from: try LeaseJSON.encode(record))
  }

  static func decode(_ snapshot: LeaseSnapshot, at object: LeaseObject) throws(LeaseError) -> Record {
    do {
      return try LeaseJSON.decode(Record.self, from: snapshot.bytes)
    } catch {
      let text = String(decoding: snapshot.bytes.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        .escapingControlCharacters
      throw LeaseError(.unreadable, "the lease \(object.url) is not a lease: \"\(text)\"")
    }
  }
}
