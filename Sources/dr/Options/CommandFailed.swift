import DRCore

/// A command that ran to its end and reported a failure in its own result (failed checks,
/// a prune that kept unknowns, a copy that did not reach a destination): the exit status
/// and a stable code for the JSON `error`, without repeating the report on standard error.
struct CommandFailed: DRError {
  let errorCode: String
  let message: String
  let exitStatus: ExitStatus
  let category: FailureCategory

  init(_ code: String, _ message: String, status: ExitStatus = .failure, category: FailureCategory = .other) {
    errorCode = code
    self.message = message
    exitStatus = status
    self.category = category
  }

  var description: String { message.redacted }
}
