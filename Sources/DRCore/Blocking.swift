import CDRSystem
import Foundation

/// Runs blocking work (a libpq call, a libcurl transfer, a pipe read) on a thread of its
/// own and resumes the caller when it finishes, so Swift's cooperative pool never blocks.
///
/// Each call gets a new thread: the work bridged here is long (connections, transfers,
/// whole child processes), so the cost of starting a thread does not matter, and no
/// shared pool can be exhausted by slow peers.
public func runBlocking<Result: Sendable>(
  _ name: String = "dr-blocking",
  _ work: @escaping @Sendable () throws -> Result
) async throws -> Result {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread {
      continuation.resume(with: Swift.Result { try work() })
    }
    thread.name = name
    thread.stackSize = 1 << 20
    thread.start()
  }
}

/// Process-wide memory settings; call once at start (see `cdr_tune_malloc`).
public func tuneMemoryAllocator(environment: [String: String] = ProcessInfo.processInfo.environment) {
  let threshold = environment["DR_MALLOC_MMAP_THRESHOLD"].flatMap { Int32($0) } ?? (1 << 20)
  let arenas = environment["DR_MALLOC_ARENA_MAX"].flatMap { Int32($0) } ?? 0
  cdr_tune_malloc(threshold, arenas)
}
