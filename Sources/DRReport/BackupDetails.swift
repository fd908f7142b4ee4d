import DRBackup
import Foundation

/// `dr show`: one backup in full, from its manifest, its verification records and each
/// copy's storage: its databases with every table's row count, its objects (size,
/// SHA-256), the server's and pg_dump's versions, the encryption key ID, where copies are,
/// and its verification history. Encoded as `dr show --json` prints it.
public struct BackupDetails: Sendable, Encodable {
  public struct Server: Sendable, Encodable {
    public var version: String
    public var versionNum: Int
    public var hosts: String
    public var user: String

    enum CodingKeys: String, CodingKey {
      case version, versionNum = "version_num", hosts, user
    }
  }

  public struct Program: Sendable, Encodable {
    public var version: String
    public var path: String
    public var majorVersion: Int

    enum CodingKeys: String, CodingKey {
      case version, path, majorVersion = "major_version"
    }
  }

  public struct Encryption: Sendable, Encodable {
    public var scheme: String
    public var keyID: String
    /// `scrypt` when the key was stretched from a passphrase.
    public var kdf: String?

    enum CodingKeys: String, CodingKey {
      case scheme, keyID = "key_id", kdf
    }
  }

  public struct Table: Sendable, Encodable, Equatable {
    public var schema: String
    public var table: String
    public var rows: Int64
    public var partitioned: Bool
  }

  public struct Database: Sendable, Encodable {
    public var name: String
    public var owner: String?
    public var sizeBytes: Int64
    /// When its snapshot was taken and its dump uploaded (backups of several databases).
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The key of its dump object.
    public var dump: String?
    /// `exact`, or `off` when the policy skipped the counts.
    public var rowCounts: String
    public var tables: [Table]

    enum CodingKeys: String, CodingKey {
      case name, owner, sizeBytes = "size_bytes", startedAt = "started_at", finishedAt = "finished_at", dump
      case rowCounts = "row_counts", tables
    }
  }

  public struct Object: Sendable, Encodable {
    public var key: String
    public var role: String
    public var database: String?
    public var sizeBytes: Int64
    public var sha256: String
    public var codec: String
    public var level: Int
    public var uncompressedBytes: Int64
    public var encrypted: Bool

    enum CodingKeys: String, CodingKey {
      case key, role, database, sizeBytes = "size_bytes", sha256, codec, level
      case uncompressedBytes = "uncompressed_bytes", encrypted
    }
  }

  /// Whether a copy's storage holds the backup: `complete` (its manifest is there),
  /// `absent`, or `unknown` (with why: not readable, not reachable).
  public struct Copy: Sendable, Encodable {
    public var destination: String
    public var state: String
    public var reason: String?
  }

  public struct Verification: Sendable, Encodable {
    public var startedAt: Date
    public var outcome: String
    public var durationSeconds: Double
    public var phases: VerificationRecord.Phases
    public var scratch: String
    public var restoredInto: String
    public var tablesCompared: Int
    public var checksRun: Int
    public var failures: [VerificationRecord.Failure]
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
      case startedAt = "started_at", outcome, durationSeconds = "duration_seconds", phases, scratch
      case restoredInto = "restored_into", tablesCompared = "tables_compared", checksRun = "checks_run", failures
      case notes
    }
  }

  public var id: BackupID
  public var policy: String
  public var startedAt: Date
  public var finishedAt: Date
  public var durationSeconds: Double
  public var formatVersion: Int
  public var drVersion: String
  public var server: Server
  public var pgDump: Program
  public var sizeBytes: Int64
  public var uncompressedBytes: Int64
  public var encryption: Encryption?
  /// Roles and tablespaces are in the backup (`globals_role_passwords`: with passwords).
  public var globals: Bool
  public var globalsRolePasswords: Bool
  public var databases: [Database]
  public var objects: [Object]
  public var copies: [Copy]
  /// The newest conclusive verification's outcome (`passed`, `failed`), `none`, or
  /// `unknown` when a record could not be read.
  public var verification: String
  /// Every verification of the backup, newest first.
  public var verifications: [Verification]
  /// What could not be read or may mislead (a newer backup that could not be read, a
  /// verification record that could not be read).
  public var warnings: [String]

  enum CodingKeys: String, CodingKey {
    case id, policy, startedAt = "started_at", finishedAt = "finished_at", durationSeconds = "duration_seconds"
    case formatVersion = "format_version", drVersion = "dr_version", server, pgDump = "pg_dump"
    case sizeBytes = "size_bytes", uncompressedBytes = "uncompressed_bytes", encryption, globals
    case globalsRolePasswords = "globals_role_passwords", databases, objects, copies, verification, verifications
    case warnings
  }
}
