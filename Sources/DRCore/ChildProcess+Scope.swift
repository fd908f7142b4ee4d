extension ChildProcess {
  /// Starts a child, runs `body` with it, and tears it down when `body` leaves by any way:
  /// returned, thrown, cancelled. A child still running then gets SIGTERM (to its process
  /// group), `grace`, then SIGKILL, and is reaped. This is how product code runs children,
  /// so no caller has a teardown to remember in its `catch`. With a `recycler`, standard
  /// output comes in its buffers (see `ChildProcess.init`).
  public static func run<Result>(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
    input: Bool = false, recycler: BufferRecycler? = nil, outputCapacity: Int = 4 << 20,
    grace: Duration = .seconds(5),
    standardErrorLines: (@Sendable (Substring) -> Void)? = nil, _ body: (ChildProcess) async throws -> Result
  ) async throws -> Result {
    let child = try ChildProcess(
      executable, arguments, environment: environment, directory: directory, input: input,
      recycler: recycler, outputCapacity: outputCapacity, standardErrorLines: standardErrorLines)
    do {
      let result = try await body(child)
      await child.tearDown(grace: grace)
      return result
    } catch {
      await child.tearDown(grace: grace)
      throw error
    }
  }

  /// Stops the child if it still runs, in a task the caller's cancellation does not reach
  /// (the grace must be waited even when the caller was cancelled), and waits until it is
  /// reaped and its standard error read to the end.
  func tearDown(grace: Duration) async {
    await Task.detached { [self] in
      if termination == nil { _ = await terminate(grace: grace) }
      _ = await wait()
    }.value
  }
}
