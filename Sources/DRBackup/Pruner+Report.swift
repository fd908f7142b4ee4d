import Foundation

extension Pruner {
  /// What a prune did, or would do (`dryRun`).
  public struct Report: Sendable, Codable {
    public let dryRun: Bool
    public let decisions: [Decision]
    public let abortedUploads: [String]
    public let deletedObjects: Int
    public let failures: [String]
    /// Backups the plan removes but kept for now: under Object Lock retention, until when.
    public var locked: [String: Date] = [:]
    /// Backups whose state could not be read, and why: kept, and the prune fails.
    public var unknown: [Unknown] = []
    /// The unknowns could change what the rule keeps: nothing was deleted.
    public var blocked = false

    public struct Unknown: Sendable, Codable {
      public let id: BackupID
      public let reason: String
    }

    /// The published reports: kept, deleted, and what kept them all.
    public var reports = PublishedReports()

    /// Deleted what could be deleted safely, but something could not be read or deleted.
    public var succeeded: Bool { failures.isEmpty && unknown.isEmpty && reports.problems.isEmpty }

    public struct Decision: Sendable, Codable {
      public let id: BackupID
      public let action: String
      public let reasons: [String]
      public let complete: Bool

      func kept(because reason: String) -> Decision {
        Decision(id: id, action: "keep", reasons: [reason], complete: complete)
      }
    }

    enum CodingKeys: String, CodingKey {
      case dryRun = "dry_run", decisions, abortedUploads = "aborted_uploads", deletedObjects = "deleted_objects"
      case failures, locked, unknown, blocked, reports
    }
  }
}
