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

/// Lease objects as JSON: the format of every record dr keeps in the bucket (snake_case
/// keys, sorted, UTC times with milliseconds), so leases written by older versions of dr
/// read the same. Times are rounded to the millisecond (the formatter truncates, and a
/// time read back is a hair below its milliseconds), so a record read and written again
/// is the same bytes.
public enum LeaseJSON {
  public static func encode<Record: Encodable>(_ record: Record) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      let rounded = date.addingTimeInterval(0.000_5)
      try container.encode(rounded.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return Array(try encoder.encode(record))
  }

  public static func decode<Record: Decodable>(_ type: Record.Type, from bytes: [UInt8]) throws -> Record {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
        return date
      }
      if let date = try? Date(text, strategy: .iso8601) { return date }
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time"))
    }
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(type, from: Data(bytes))
  }
}
