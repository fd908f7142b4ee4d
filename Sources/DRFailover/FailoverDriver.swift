/// Carries out a plan's steps on some platform: `LocalDriver` (processes on this host) or
/// `JujuDriver` (juju commands).
public protocol FailoverDriver: Sendable {
  /// Runs one step and checks its health; returns what it found or did, for the record.
  /// Steps that are already done and healthy are left as they are (a rerun resumes).
  func execute(_ step: PlanStep) async throws -> String
  /// Stops what the driver started; with `purge`, removes its state too.
  func down(purge: Bool) async
}

extension LocalDriver: FailoverDriver {}
