import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import DRStorage
import Foundation

struct List: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Backups in the bucket, newest first, with size, age and verification state.")

  @OptionGroup var global: GlobalOptions

  @OptionGroup var storageOption: StorageOption

  @Flag(help: "Also show incomplete backups (no manifest: failed, interrupted or running).")
  var all = false

  func run() async throws {
    let policy = try global.loadPolicy()
    let (storage, catalogue) = try await storageOption.connect(policy)
    // Unknown backups are always shown: they may well be complete.
    let entries = try await catalogue.entries().filter { all || $0.complete || $0.state.unknownReason != nil }
    if global.json { return try Output.json(entries) }
    guard !entries.isEmpty else {
      return Output.line("no backups of \(policy.name) in \(storage.location)\(all ? "" : " (incomplete ones: --all)")")
    }
    let showState = all || entries.contains { $0.state.unknownReason != nil }
    Output.line(
      Self.row(
        ["ID", "STARTED (UTC)", "AGE", "SIZE", "TOOK", "POSTGRES", "VERIFIED", "RESTORE"]
          + (showState ? ["STATE"] : []) + ["DATABASES"]))
    for entry in entries { Output.line(row(entry, showState: showState)) }
    for entry in entries {
      if let reason = entry.state.unknownReason {
        Output.line("\(entry.id): the manifest \(reason)")
      } else if let reason = entry.verificationUnknownReason {
        Output.line("\(entry.id): verification unknown, \(reason)")
      } else if let attempt = entry.lastAttempt, attempt.outcome == .inconclusive {
        let why = attempt.failures.first.map { ": \($0.detail)" } ?? ""
        Output.line("\(entry.id): the last verification was inconclusive (this host or settings\(why))")
      }
    }
  }

  private func row(_ entry: BackupEntry, showState: Bool) -> String {
    let started = entry.startedAt.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    let took = entry.manifest.map { String(format: "%.0fs", $0.durationSeconds) } ?? "-"
    let server = entry.manifest?.database.serverVersion.split(separator: " ").first.map(String.init) ?? "-"
    let restore = entry.lastVerification.map { String(format: "%.0fs", $0.restoreSeconds) } ?? "-"
    var columns: [String] = [
      entry.id.rawValue, started, Age.format(Date().timeIntervalSince(entry.startedAt)),
      ByteCount.format(entry.sizeBytes), took, server, entry.verification, restore,
    ]
    if showState { columns.append(Self.state(entry)) }
    columns.append(Self.databases(entry))
    return Self.row(columns)
  }

  /// The backup's databases, for a column of about 60 characters: `summit`, or `summit, billing, …(+3)`.
  static func databases(_ entry: BackupEntry) -> String {
    guard let names = entry.manifest?.databaseNames.map(\.escapingControlCharacters) else { return "-" }
    var shown: [String] = []
    for name in names {
      guard shown.isEmpty || (shown + [name]).joined(separator: ", ").count <= 60 else { break }
      shown.append(name)
    }
    let more = names.count - shown.count
    return shown.joined(separator: ", ") + (more > 0 ? ", …(+\(more))" : "")
  }

  static func state(_ entry: BackupEntry) -> String {
    switch entry.state {
    case .complete: "complete"
    case .incomplete: "INCOMPLETE"
    case .unknown(let reason): reason.contains("newer dr") ? "NEWER-DR" : "UNKNOWN"
    }
  }

  private static func row(_ columns: [String]) -> String {
    let widths = [22, 20, 8, 11, 7, 10, 9, 8, 10, 10]
    return zip(columns, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }
      .joined(separator: " ").trimmingCharacters(in: .whitespaces)
  }
}

/// Ages for people: `45s`, `12m`, `5h`, `3d`.
enum Age {
  static func format(_ seconds: TimeInterval) -> String {
    switch seconds {
    case ..<120: "\(Int(seconds))s"
    case ..<7_200: "\(Int(seconds / 60))m"
    case ..<172_800: "\(Int(seconds / 3_600))h"
    default: "\(Int(seconds / 86_400))d"
    }
  }
}
