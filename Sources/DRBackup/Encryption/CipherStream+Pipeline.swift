import DRCore
import DRCrypto

extension CipherStream {
  /// Sends the filled batch to a thread of its own once fewer than `threads` are in flight.
  func submit(final: Bool) async throws {
    let batch = fill
    fill = []
    let first = nextIndex
    let unit = direction == .seal ? cipher.segmentSize : cipher.storedSegmentSize
    nextIndex += UInt64(max(1, (batch.count + unit - 1) / unit))
    while pending.count >= threads { try await deliverHead() }
    let cipher = cipher
    let direction = direction
    pending.append(
      Task {
        try await runBlocking("dr-cipher") {
          try batch.withUnsafeBytes { bytes in
            switch direction {
            case .seal: cipher.seal(bytes, firstIndex: first, final: final)
            case .open: try cipher.open(bytes, firstIndex: first, final: final)
            }
          }
        }
      })
  }

  /// Waits for the oldest batch and hands it to the consumer.
  func deliverHead() async throws {
    let output = try await pending.removeFirst().value
    try checkOpen()
    try await consumer(output)
    bytesOut += Int64(output.count)
  }

  func checkOpen() throws {
    switch phase {
    case .open: return
    case .finished: throw BackupError(.invalid, "the \(direction) stream has finished")
    case .failed(let error): throw error
    }
  }

  /// Runs `body`; on any error stops everything before rethrowing it.
  func failing<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch {
      await fail(error)
      throw error
    }
  }

  /// Records the first failure and waits for the batches in flight (milliseconds each),
  /// so no thread of this stream runs once the call that failed returns.
  func fail(_ error: any Error) async {
    if case .open = phase { phase = .failed(error) }
    let running = pending
    pending = []
    fill = []
    for task in running { _ = try? await task.value }
  }
}
