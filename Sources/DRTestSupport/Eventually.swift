/// Waits until `condition` holds, checking every `interval` for at most `limit`; whether
/// it held at the end. Bounded, and never a timing assertion: a test asserts the outcome.
public func eventually(
  limit: Duration = .seconds(60), every interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async rethrows -> Bool {
  let deadline = ContinuousClock.now + limit
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    try? await Task.sleep(for: interval)
  }
  return try await condition()
}
