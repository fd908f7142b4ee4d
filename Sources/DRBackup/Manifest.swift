import DRCompression
import DRPostgres
import Foundation

/// `manifest.json`: written last, it is what makes a backup complete. Everything a
/// restore and a verification need, from the bucket alone; never a secret.
public struct BackupManifest: Sendable, Codable, Equatable {
  /// The newest format this dr reads. A manifest is written in the oldest format that
  /// describes it (`format(for:databaseCount:)`): format 2 added zstd objects and several
  /// databases in one backup (`databases`), so a dr that reads only format 1 still reads
  /// every single-database bzip2 and uncompressed backup, and sees a newer one as "written
  /// by a newer dr" (unknown, kept) instead of a backup it cannot read.
  public static let currentFormat = 2

  /// The codecs each format introduced; a format reads its own and every older one's.
  static let codecsByFormat: [Int: Set<String>] = [1: ["bzip2", "none"], 2: ["zstd"]]

  /// The oldest format whose readers know every codec of `objects`.
  public static func format(for objects: [Object]) -> Int {
    let codecs = Set(objects.map(\.compression.codec))
    return (1...currentFormat).first { format in
      codecs.isSubset(of: (1...format).reduce(into: Set<String>()) { $0.formUnion(codecsByFormat[$1] ?? []) })
    } ?? currentFormat
  }

  /// The oldest format that describes a backup of `objects` and `count` databases.
  public static func format(for objects: [Object], databaseCount count: Int) -> Int {
    max(format(for: objects), format(databaseCount: count))
  }

  public var formatVersion: Int
  public var id: BackupID
  public var policy: String
  public var tool: Tool
  public var database: Database
  public var pgDump: Program
  public var startedAt: Date
  public var finishedAt: Date
  public var objects: [Object]
  /// How the objects are encrypted (the scheme, never the key); nil when they are not.
  public var encryption: Encryption?
  public var globals: Globals
  /// The first (or only) database's row counts.
  public var rowCounts: RowCounts
  /// Every database of a backup of several (format 2), in the order they were dumped; the
  /// first is also described by `database` and `rowCounts`. nil for one database.
  public var databases: [DatabaseEntry]? = nil

  public struct Tool: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
  }

  public struct Database: Sendable, Codable, Equatable {
    public var name: String
    public var user: String
    public var hosts: String
    public var serverVersion: String
    public var serverVersionNum: Int
    /// `pg_database_size` when the backup started.
    public var sizeBytes: Int64
    /// The database's owner (nil in older manifests): a restore makes the new
    /// database this role's when the target server has it.
    public var owner: String? = nil
    /// The database's own properties (owner, encoding, locale, settings, privileges,
    /// comment), read in the dump's snapshot; in an encrypted backup `sealedProperties`
    /// holds them instead. nil in manifests of older dr.
    public var properties: DatabaseProperties? = nil
    /// `properties` sealed with the backup's key (its settings' values may be secrets,
    /// and the manifest is not encrypted).
    public var sealedProperties: SealedProperties? = nil
    /// The extensions installed in the database, read in the dump's snapshot: what a
    /// restore needs the target server to offer (`dr restore --dry-run`, `dr check --env`).
    /// nil in manifests of older dr (then unknown until pg_restore meets one).
    public var extensions: [InstalledExtension]? = nil
  }

  public struct Program: Sendable, Codable, Equatable {
    public var path: String
    public var version: String
    /// The major version of pg_dump, which decides the archive's format and what its
    /// restore sends to the server (nil in older manifests: read from `version`).
    public var majorVersion: Int? = nil
  }

  public struct Object: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable {
      case dump, globals
    }

    public var role: Role
    public var key: String
    public var size: Int64
    public var sha256: String
    public var etag: String
    public var parts: Int
    public var partSize: Int
    public var compression: Compression
    /// How this object is encrypted (its key's salt); nil when the backup is not.
    public var encryption: ObjectEncryption? = nil
    /// The database a dump is of, in a backup of several (`databases`); nil otherwise.
    public var database: String? = nil
  }

  /// The codec and the stream boundaries. Every stream but the last holds `chunkSize`
  /// uncompressed bytes, so the compressed lengths alone locate them all.
  public struct Compression: Sendable, Codable, Equatable {
    public var codec: String
    public var level: Int
    public var chunkSize: Int
    public var uncompressedSize: Int64
    public var streamLengths: [Int64]
  }

  public struct Globals: Sendable, Codable, Equatable {
    public var included: Bool
    /// False when the dumping role could not read role passwords (not a superuser).
    public var rolePasswords: Bool
  }

  public struct RowCounts: Sendable, Codable, Equatable {
    /// `exact`, or `off` when the policy skips them.
    public var mode: String
    public var tables: [TableRowCount]
  }

  public var durationSeconds: Double { finishedAt.timeIntervalSince(startedAt) }

  /// The major version of the server that was dumped.
  public var serverMajor: Int { database.serverVersionNum / 10_000 }

  /// The dump's major version: pg_dump's (never older than the server's). Its archive needs a
  /// pg_restore at least as new, and that pg_restore sends settings older servers refuse
  /// (`SET transaction_timeout` from 17 on), so a restore needs a server of this major or newer.
  public var dumpMajor: Int {
    max(serverMajor, pgDump.majorVersion ?? PGTool.major(of: pgDump.version) ?? 0)
  }

  public func object(_ role: Object.Role) -> Object? { objects.first { $0.role == role } }
}

extension BackupManifest.Compression {
  /// Every stream's place in the compressed object and in the original.
  public var boundaries: [StreamBoundary] {
    var compressed: Int64 = 0
    var result: [StreamBoundary] = []
    for (index, length) in streamLengths.enumerated() {
      let start = Int64(index) * Int64(chunkSize)
      result.append(
        StreamBoundary(
          compressedOffset: compressed, compressedLength: length, uncompressedOffset: start,
          uncompressedLength: min(Int64(chunkSize), uncompressedSize - start)))
      compressed += length
    }
    return result
  }
}
