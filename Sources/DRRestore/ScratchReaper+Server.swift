import DRCore
import DRPolicy
import DRPostgres
import Foundation
import Logging

/// Scratch databases on `verify.scratch_url` (`dr_verify_…`) and the side databases of
/// `dr restore --target` (`dr_restore_…`, renamed to the target only once complete). Each
/// carries a comment naming the host and process that made it (`dr verify scratch; host=H;
/// owner=PID.START`), since several hosts may use one server: only those made on this host
/// by a dr that no longer runs are dropped. (A dr killed between CREATE DATABASE and
/// COMMENT leaves a database without the comment; that window is one round trip, and such
/// a database is never dropped here. A swapped-in database has its comment removed in the
/// transaction that renames it.)
extension ScratchReaper {
  static let commentPrefix = "dr verify scratch;"
  static let restoreCommentPrefix = "dr restore side;"

  /// The comment for a scratch database made now, by this process.
  public static var scratchComment: String {
    "\(commentPrefix) host=\(hostName); owner=\(ProcessIdentity.current)"
  }

  /// The comment for a restore's side database made now, by this process.
  static var restoreComment: String {
    "\(restoreCommentPrefix) host=\(hostName); owner=\(ProcessIdentity.current)"
  }

  /// This host, named as leases name it.
  static var hostName: String { ProcessInfo.processInfo.hostName }

  /// The owner named by a scratch database's comment, when it was made on this host.
  static func owner(fromComment comment: String) -> ProcessIdentity? {
    guard let prefix = [commentPrefix, restoreCommentPrefix].first(where: comment.hasPrefix) else { return nil }
    var fields: [String: String] = [:]
    for part in comment.dropFirst(prefix.count).split(separator: ";") {
      let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
      if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
    }
    guard fields["host"] == hostName, let owner = fields["owner"] else { return nil }
    return ProcessIdentity(owner)
  }

  /// Drops the databases named `prefix…` (scratch databases, restore side databases) on
  /// `server` that a dr of this host left when killed; returns their names. Never throws:
  /// the work that follows reports a server it cannot reach.
  @discardableResult
  public func reap(server: PostgresURL, prefix: String = "dr_verify_") async -> [String] {
    guard let admin = try? await PGConnection.connect(server.connectionString.value) else { return [] }
    let rows =
      (try? await admin.query(
        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
          + "WHERE datname LIKE \(SQL.literal(prefix.replacingOccurrences(of: "_", with: "\\_") + "%")) "
          + "ORDER BY datname")) ?? []
    var dropped: [String] = []
    for row in rows {
      guard row.count == 2, let name = row[0], let owner = row[1].flatMap(Self.owner(fromComment:)),
        !owner.isRunning, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      else { continue }
      let what = name.hasPrefix("dr_restore_") ? "the restore's side database" : "the scratch database"
      do {
        _ = try await admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        logger.notice("dropped \(what) \(name), left by dr (pid \(owner.pid)) which no longer runs")
        dropped.append(name)
      } catch {
        logger.warning("cannot drop \(what) \(name), left by a dr that no longer runs: \(error)")
      }
    }
    return dropped
  }
}
