import DRCore
import DRPolicy
import DRStorage
import Foundation

/// `dr copy`: the backups a policy's copies lack (or one backup), from one storage to each
/// destination, each with its own credentials. A backup that cannot be copied is a failed
/// line and the run goes on; one whose manifest cannot be read on either side is an
/// unknown line (never copied over).
public struct CopyRun: Sendable {
  /// Which backups: what each destination lacks, or one.
  public enum Selection: Sendable, Equatable {
    case missing
    case id(BackupID)
  }

  /// What happened, as it happens, for the command to print.
  public enum Event: Sendable {
    /// A backup copied, failed or left unknown, and how long it took.
    case line(CopyLine, seconds: Double)
    /// The destination holds every complete backup already.
    case upToDate(destination: String)
    /// Verification records copied to the destination.
    case records(destination: String, count: Int)
  }

  public let policy: Policy
  public let source: Storage
  /// Destinations by name, connected.
  public let destinations: [(name: String, storage: Storage)]
  public let selection: Selection

  public init(policy: Policy, source: Storage, destinations: [(name: String, storage: Storage)], selection: Selection) {
    self.policy = policy
    self.source = source
    self.destinations = destinations
    self.selection = selection
  }

  /// Connects the storages named (`to`: nil for every destination the policy has besides the
  /// source) and makes the run; a policy with nowhere to copy to is an error (exit 2).
  public static func connect(
    policy: Policy, from: String, to: String?, selection: Selection, variables: [String: String]
  ) async throws -> CopyRun {
    let targets = StorageTargets(policy: policy)
    let sourceSettings = try targets.named(from)
    let named = try to.map { [($0, try targets.named($0))] } ?? targets.destinations(besides: sourceSettings)
    guard !named.isEmpty else {
      throw PolicyError(
        file: policy.file, keyPath: "storage.copies",
        problem: "nowhere to copy to: add storage.copies or an environment with its own storage, or pass --to")
    }
    let connector = StorageConnector(environment: variables)
    var destinations: [(name: String, storage: Storage)] = []
    for (name, settings) in named {
      destinations.append((name, try await connector.connect(settings, objectLock: policy.retention?.lock)))
    }
    return CopyRun(
      policy: policy, source: try await connector.connect(sourceSettings), destinations: destinations,
      selection: selection)
  }

  /// Copies, destination after destination; returns every line. A cancellation stops it.
  public func run(_ report: @Sendable (Event) -> Void) async throws -> [CopyLine] {
    var lines: [CopyLine] = []
    for (name, storage) in destinations {
      let copier = BackupCopier(source: source, destination: storage, policyName: policy.name)
      lines += try await copy(to: name, with: copier, report)
    }
    return lines
  }

  private func copy(to name: String, with copier: BackupCopier, _ report: @Sendable (Event) -> Void) async throws
    -> [CopyLine]
  {
    var lines: [CopyLine] = []
    let (ids, unknown) = try await selected(copier)
    for item in unknown {
      let line = CopyLine(destination: name, id: item.id.rawValue, outcome: "unknown", bytes: 0, error: item.reason)
      lines.append(line)
      report(.line(line, seconds: 0))
    }
    if ids.isEmpty, unknown.isEmpty { report(.upToDate(destination: name)) }
    if selection == .missing {
      let records = try await copier.syncVerifications()
      if records > 0 { report(.records(destination: name, count: records)) }
    }
    for id in ids {
      let started = ContinuousClock.now
      let line: CopyLine
      do {
        let bytes = try await copier.copy(id)
        line = CopyLine(destination: name, id: id.rawValue, outcome: "copied", bytes: bytes, error: nil)
      } catch {
        try Task.checkCancellation()
        line = CopyLine(destination: name, id: id.rawValue, outcome: "failed", bytes: 0, error: "\(error)")
      }
      lines.append(line)
      report(.line(line, seconds: (ContinuousClock.now - started).seconds))
    }
    return lines
  }

  private func selected(_ copier: BackupCopier) async throws -> ([BackupID], [(id: BackupID, reason: String)]) {
    switch selection {
    case .missing:
      let missing = try await copier.missing()
      return (missing.ids, missing.unknown)
    case .id(let id):
      return ([id], [])
    }
  }
}
