import DRBackup
import DRCore
import DRPostgres
import Foundation
import Synchronization

/// How far a running restore is, for the status line of `dr restore` and `dr verify`: its
/// phase, the dump's bytes handed to pg_restore against the dump's size, and the tables
/// whose data pg_restore has loaded (from its `--verbose` lines).
public final class RestoreProgress: Sendable {
  public enum Phase: String, Sendable {
    case preparing, roles, restoring, counting, checks
  }

  private struct State {
    var phase = Phase.preparing
    var restored: Int64 = 0
    var total: Int64 = 0
    var tables = 0
    var tablesTotal = 0
  }

  private let state = Mutex(State())

  public init() {}

  /// The restore of `manifest` begins: its dump's size and table count are the totals.
  func begin(_ manifest: BackupManifest) {
    state.withLock {
      $0 = State()
      $0.total = manifest.object(.dump)?.compression.uncompressedSize ?? 0
      $0.tablesTotal = manifest.rowCounts.tables.filter { !$0.partitioned }.count
    }
  }

  public func enter(_ phase: Phase) { state.withLock { $0.phase = phase } }
  func restored(_ bytes: Int) { state.withLock { $0.restored += Int64(bytes) } }

  /// A line of pg_restore `--verbose`: a table's data is being loaded.
  func pgRestoreSaid(_ line: Substring) {
    if line.contains("processing data for table") { state.withLock { $0.tables += 1 } }
  }

  /// `restoring: 310 MiB of 1.2 GiB (25 %), 12 of 40 tables`.
  /// Shows the line on `status` every quarter of a second (a terminal redraws it, a log
  /// gets it every 10 s) until the returned task is cancelled.
  public func show(on status: StatusLine) -> Task<Void, Never> {
    Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(250))
        status.show { line }
      }
    }
  }

  public var line: String {
    let now = state.withLock { $0 }
    var text = "\(now.phase.rawValue): \(ByteCount.format(now.restored))"
    if now.total > 0 {
      text += " of \(ByteCount.format(now.total)) (\(min(100, Int(now.restored * 100 / now.total))) %)"
    }
    if now.tablesTotal > 0 { text += ", \(min(now.tables, now.tablesTotal)) of \(now.tablesTotal) tables" }
    return text
  }
}
