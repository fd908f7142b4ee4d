import DRCore
import Foundation

/// What a lease object holds: who holds it, and until when. `BucketLease` writes it as
/// JSON (`LeaseJSON`: snake_case keys, so a type's field names are its object's).
public protocol LeaseRecord: Codable, Sendable, CustomStringConvertible {
  /// What tells holders apart: a backup's ID, a worker's name.
  var holderID: String { get }
  var host: String { get }
  var pid: Int32 { get }
  var acquiredAt: Date { get }
  /// Set again on every renewal.
  var expiresAt: Date { get set }
}

extension LeaseRecord {
  /// Expired, or held by a process of this host that no longer exists (a run that died
  /// without releasing it: its lease need not block the next one for the whole TTL).
  public func isAbandoned(now: Date = Date()) -> Bool {
    LeaseAbandonment.isAbandoned(expiresAt: expiresAt, host: host, pid: pid, now: now)
  }
}

public enum LeaseAbandonment {
  /// A lease is abandoned when it expired, or when its holder is a process of this host
  /// that no longer exists.
  public static func isAbandoned(expiresAt: Date, host: String, pid: Int32, now: Date) -> Bool {
    if expiresAt < now { return true }
    guard host == ProcessInfo.processInfo.hostName, pid > 0 else { return false }
    return kill(pid, 0) != 0 && errno == ESRCH
  }
}

/// Lease objects as JSON: the format of every record dr keeps in the bucket (`BucketJSON`),
/// so leases written by older versions of dr read the same.
public enum LeaseJSON {
  public static func encode<Record: Encodable>(_ record: Record) throws -> [UInt8] {
    Array(try BucketJSON.encoder.encode(record))
  }

  public static func decode<Record: Decodable>(_ type: Record.Type, from bytes: [UInt8]) throws -> Record {
    try BucketJSON.decoder.decode(type, from: Data(bytes))
  }
}
