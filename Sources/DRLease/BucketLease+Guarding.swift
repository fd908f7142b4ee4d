import DRCore
import Foundation

extension BucketLease {
  /// Runs `body` while the lease is held. When the lease is lost meanwhile, `body`'s task
  /// is cancelled (as SIGINT cancels a command) and, once `body` has ended, this throws the
  /// `LeaseError(.lost)` that names the new holder. A body that completes anyway wins: its
  /// result is returned (the work is done; nothing of it is thrown away), and the caller
  /// may look at `lostError`. Cancelling the caller cancels `body` too.
  public nonisolated func guarding<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let work = Task { try await body() }
    let id = UUID()
    if let lost = await watch(id, cancel: { work.cancel() }) {
      work.cancel()
      _ = await work.result
      throw lost
    }
    let result = await withTaskCancellationHandler {
      await work.result
    } onCancel: {
      work.cancel()
    }
    await unwatch(id)
    if case .success(let value) = result { return value }
    if let lost = await lostError { throw lost }
    return try result.get()
  }

  /// Registers a guarded task's cancellation; the loss instead when the lease is lost already.
  private func watch(_ id: UUID, cancel: @escaping @Sendable () -> Void) -> LeaseError? {
    if case .lost(let error) = state { return error }
    guards[id] = cancel
    return nil
  }

  private func unwatch(_ id: UUID) { guards[id] = nil }
}
