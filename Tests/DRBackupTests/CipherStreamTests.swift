import DRCore
import DRCrypto
import Foundation
import Synchronization
import Testing

@testable import DRBackup

/// The streaming, parallel stage: the same bytes as the whole-object format whatever the
/// write sizes, memory bounded, and nothing unauthenticated handed on.
struct CipherStreamTests {
  static let cipher = try! SegmentCipher(
    masterKey: .random(), salt: SecureRandom.bytes(32), backupID: "20261124T221900Z-7f3a", objectName: "dump.pgc.enc",
    segmentSize: 4096)

  /// Random bytes, made in C: tests share Swift's cooperative threads, and a long Swift
  /// loop here would hold one of them (other suites' waits run on them too).
  static func plaintext(_ count: Int) -> [UInt8] { SecureRandom.bytes(count) }

  /// What reached the consumer, in order, and the most bytes held inside the stage.
  final class Received: Sendable {
    let bytes = Mutex<[UInt8]>([])
    let written = Mutex<Int>(0)
    let peakHeld = Mutex<Int>(0)
  }

  /// Runs `input` through a stream in writes of the given sizes (cycled); returns what
  /// came out, or the error with what came out before it.
  static func run(
    _ direction: CipherStream.Direction, _ input: [UInt8], writes: [Int], threads: Int = 2
  ) async -> (output: [UInt8], error: (any Error)?, peakHeld: Int, bound: Int) {
    let received = Received()
    let stream = CipherStream(cipher: cipher, direction: direction, threads: threads) { bytes in
      // Bytes written in and not yet handed out, counted as input: the stage's holdings.
      let delivered = received.bytes.withLock { inputEquivalent($0.count, direction) }
      received.peakHeld.withLock { $0 = max($0, received.written.withLock { $0 } - delivered) }
      received.bytes.withLock { $0 += bytes }
    }
    var offset = 0
    var turn = 0
    do {
      while offset < input.count {
        let size = min(writes[turn % writes.count], input.count - offset)
        received.written.withLock { $0 += size }
        try await stream.write(Array(input[offset..<offset + size]))
        offset += size
        turn += 1
      }
      _ = try await stream.finish()
      return (received.bytes.withLock { $0 }, nil, received.peakHeld.withLock { $0 }, stream.memoryBound)
    } catch {
      return (received.bytes.withLock { $0 }, error, received.peakHeld.withLock { $0 }, stream.memoryBound)
    }
  }

  /// How many input bytes `output` bytes handed out stand for (4096-byte segments).
  static func inputEquivalent(_ output: Int, _ direction: CipherStream.Direction) -> Int {
    switch direction {
    case .seal: output - (output + 4111) / 4112 * 16
    case .open: output + (output + 4095) / 4096 * 16
    }
  }

  @Test(arguments: [0, 1, 4095, 4096, 4097, 1 << 20, (1 << 20) + 1, 3 << 20, 5_000_003])
  func streamedBytesAreTheWholeObjectFormat(_ count: Int) async throws {
    let plaintext = Self.plaintext(count)
    let sealed = await Self.run(.seal, plaintext, writes: [65_536, 1, 777_777, 4096])
    #expect(sealed.error == nil)
    #expect(sealed.output == Self.cipher.sealObject(plaintext))
    let opened = await Self.run(.open, sealed.output, writes: [8 << 20, 100_000, 13])
    #expect(opened.error == nil)
    #expect(opened.output == plaintext)
  }

  @Test func aLongStreamHoldsNoMoreThanItsBound() async throws {
    let plaintext = [UInt8](repeating: 0x5a, count: 16 << 20)
    let sealed = await Self.run(.seal, plaintext, writes: [65_536], threads: 1)
    #expect(sealed.error == nil)
    #expect(sealed.peakHeld > 0)
    #expect(sealed.peakHeld <= sealed.bound, "held \(sealed.peakHeld) of a bound of \(sealed.bound)")
    #expect(sealed.bound < 5 << 20, "the bound must not grow with the stream")
  }

  @Test func aFlippedByteStopsTheStreamBeforeItsPlaintextIsHandedOn() async throws {
    let plaintext = Self.plaintext(3 << 20)
    var stored = Self.cipher.sealObject(plaintext)
    let position = 2 * (1 << 20) + 12_345
    stored[position] ^= 0x40
    let opened = await Self.run(.open, stored, writes: [1 << 20])
    let error = try #require(opened.error as? CryptoError)
    #expect(error.code == .authentication)
    #expect(error.message.contains("segment \(position / 4112 + 1) "), "\(error)")
    #expect(opened.output.count <= position / 4112 * 4096)
    #expect(opened.output == Array(plaintext.prefix(opened.output.count)))
  }

  @Test func anObjectCutAtABoundaryFailsAtTheEnd() async throws {
    let stored = Self.cipher.sealObject(Self.plaintext(100 * 4096))
    let opened = await Self.run(.open, Array(stored.prefix(60 * 4112)), writes: [50_000])
    let error = try #require(opened.error as? CryptoError)
    #expect(error.code == .truncated)
    #expect(error.message.contains("ends after segment 60 "), "\(error)")
    #expect(opened.output.count < 60 * 4096, "the last segment must not be handed on")
  }

  @Test func afterAFailureNothingMoreIsAccepted() async throws {
    let stream = CipherStream(cipher: Self.cipher, direction: .open, threads: 1) { _ in }
    try await stream.write([UInt8](repeating: 0, count: 10))
    await #expect(throws: CryptoError.self) { try await stream.finish() }
    #expect(stream.runningThreads == 0)
    await #expect(throws: CryptoError.self) { try await stream.write([1]) }
  }

  struct ConsumerFailed: Error {}

  @Test func aFailingConsumerStopsTheStream() async throws {
    let calls = Mutex<Int>(0)
    let stream = CipherStream(cipher: Self.cipher, direction: .seal, threads: 2) { _ in
      if calls.withLock({
        $0 += 1; return $0
      }) == 3 {
        throw ConsumerFailed()
      }
    }
    await #expect(throws: ConsumerFailed.self) {
      for _ in 0..<12 { try await stream.write(Self.plaintext(1 << 20)) }
      _ = try await stream.finish()
    }
    #expect(stream.runningThreads == 0)
    #expect(calls.withLock { $0 } == 3)
    await #expect(throws: ConsumerFailed.self) { try await stream.write([1]) }
    await #expect(throws: ConsumerFailed.self) { _ = try await stream.finish() }
  }

  /// With one thread, the second batch waits for the first, whose consumer is held: a
  /// write meanwhile is refused, and the stream goes on as if it had not come.
  @Test func overlappingWritesAreRefused() async throws {
    let entered = AsyncStream.makeStream(of: Void.self)
    let gate = AsyncStream.makeStream(of: Void.self)
    let received = Received()
    let stream = CipherStream(cipher: Self.cipher, direction: .seal, threads: 1) { bytes in
      if received.bytes.withLock({ $0.isEmpty }) {
        entered.continuation.yield()
        for await _ in gate.stream { break }
      }
      received.bytes.withLock { $0 += bytes }
    }
    let plaintext = Self.plaintext(3 << 20)
    let writer = Task { try await stream.write(plaintext) }
    for await _ in entered.stream { break }
    let error = await #expect(throws: BackupError.self) { try await stream.write([1]) }
    #expect(error?.code == .invalid)
    gate.continuation.yield()
    try await writer.value
    _ = try await stream.finish()
    #expect(stream.runningThreads == 0)
    #expect(received.bytes.withLock { $0 } == Self.cipher.sealObject(plaintext))
  }

  /// The writer is cancelled while its consumer waits, with batches in flight.
  @Test func cancellingTheWritersTaskStopsTheStream() async throws {
    let entered = AsyncStream.makeStream(of: Void.self)
    let stream = CipherStream(cipher: Self.cipher, direction: .seal, threads: 2) { _ in
      entered.continuation.yield()
      try await Task.sleep(for: .seconds(30))
    }
    let writer = Task {
      for _ in 0..<100 { try await stream.write(Self.plaintext(1 << 20)) }
    }
    for await _ in entered.stream { break }
    writer.cancel()
    let result = await writer.result
    #expect(throws: CancellationError.self) { try result.get() }
    #expect(stream.runningThreads == 0)
    await #expect(throws: CancellationError.self) { _ = try await stream.finish() }
  }
}
