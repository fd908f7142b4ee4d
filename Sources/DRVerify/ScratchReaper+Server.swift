import DRCore
import DRPolicy
import DRPostgres
import Foundation

/// Scratch databases on `verify.scratch_url`. Each carries a comment naming the host and
/// process that made it (`dr verify scratch; host=H; owner=PID.START`), since several hosts
/// may verify on one server: only those made on this host by a dr that no longer runs are
/// dropped. (A dr killed between CREATE DATABASE and COMMENT leaves a database without the
/// comment; that window is one round trip, and such a database is never dropped here.)
extension ScratchReaper {
  static let commentPrefix = "dr verify scratch;"

  /// The comment for a scratch database made now, by this process.
  static var scratchComment: String {
    "\(commentPrefix) host=\(hostName); owner=\(ProcessIdentity.current)"
  }

  /// This host, named as leases name it.
  static var hostName: String { ProcessInfo.processInfo.hostName }

  /// The owner named by a scratch database's comment, when it was made on this host.
  static func owner(fromComment comment: String) -> ProcessIdentity? {
    guard comment.hasPrefix(commentPrefix) else { return nil }
    var fields: [String: String] = [:]
    for part in comment.dropFirst(commentPrefix.count).split(separator: ";") {
      let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
      if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
    }
    guard fields["host"] == hostName, let owner = fields["owner"] else { return nil }
    return ProcessIdentity(owner)
  }

  /// Drops the scratch databases on `server` that a dr of this host left when killed;
  /// returns their names. Never throws: the verification that follows reports a server it
  /// cannot reach.
  @discardableResult
  public func reap(server: PostgresURL) async -> [String] {
    guard let admin = try? await PGConnection.connect(server.connectionString.value) else { return [] }
    let rows =
      (try? await admin.query(
        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
          + "WHERE datname LIKE 'dr\\_verify\\_%' ORDER BY datname")) ?? []
    var dropped: [String] = []
    for row in rows {
      guard row.count == 2, let name = row[0], let owner = row[1].flatMap(Self.owner(fromComment:)),
        !owner.isRunning, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      else { continue }
      do {
        _ = try await admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        logger.notice("dropped the scratch database \(name), left by dr (pid \(owner.pid)) which no longer runs")
        dropped.append(name)
      } catch {
        logger.warning("cannot drop the scratch database \(name), left by a dr that no longer runs: \(error)")
      }
    }
    return dropped
  }
}
