import DRCore
import DRTestSupport
import Foundation
import Synchronization
import Testing

@testable import DRCompression

/// The `lbzip2` program as the bzip2 encoder: the real one writes what dr's decoder and
/// stock `bunzip2` read; a fake one that fails, writes garbage, is killed or sleeps stops
/// the compressor with an error naming it, and leaves no process behind.
/// The time limit only catches a stock tool that hangs on its pipes. It is not a speed
/// bound: in a full run on 2 cores these small tests share the machine with a gibibyte
/// through bzip2 (MemoryBoundTests) and ~970 others: passing runs took up to 153 s, and one
/// went past the old 2-minute limit.
@Suite(.timeLimit(.minutes(10))) struct LBZip2EncoderTests {
  static func installed() throws -> BZip2Encoder {
    let path = ProcessInfo.processInfo.environment["PATH"]
    let program = try #require(
      ProgramSearch.find("lbzip2", path: path), "lbzip2 is not installed (Debian package lbzip2)")
    return .lbzip2(program: program)
  }

  @Test(arguments: [9, 1])
  func roundTripThroughTheRealLbzip2(_ level: Int) async throws {
    let input = TestData.text(1_500_000) + TestData.random(100_000) + TestData.runs(600_000)
    let compressed = try await Pipelines.compress(
      input, codec: .bzip2(level: level), chunkSize: 300_000, threads: 2, writeSizes: [12_345],
      bzip2Encoder: try Self.installed())
    #expect(compressed.summary.streams.count == 8)
    for chunk in compressed.chunks { #expect(Array(chunk.bytes.prefix(4)) == Array("BZh\(level)".utf8)) }
    let decoded = try await Pipelines.parallelDecode(compressed.bytes, boundaries: compressed.summary.streams)
    #expect(decoded.bytes == input)
    #expect(try await Tool.run(["bunzip2", "-c"], input: compressed.bytes) == input)
  }

  @Test func anEmptyInputIsOneEmptyStream() async throws {
    let compressed = try await Pipelines.compress([], bzip2Encoder: try Self.installed())
    #expect(compressed.bytes.count == 14)
    #expect(try await Tool.run(["bunzip2", "-c"], input: compressed.bytes) == [])
    #expect(try await Pipelines.decodeStream(compressed.bytes, uncompressed: 0) == [])
  }

  static let failures: [(FakeLBZip2.Behaviour, String)] = [
    (.fails, "exit status 1: starting / \(FakeLBZip2.complaint)"),
    (.garbage, "exited 0 with output that does not start with BZh9"),
    (.killed, "killed by signal 9"),
    (.silent, "exited 0 with no output"),
    (.floods, "wrote more than 303600 bytes"),
  ]

  @Test(arguments: failures)
  func aMisbehavingLbzip2FailsTheCompressor(_ behaviour: FakeLBZip2.Behaviour, _ expected: String) async throws {
    try await Self.expectFailure(behaviour, expected, chunkSize: 300_000, threads: 2, input: 900_000)
  }

  /// Compresses `input` bytes of text with a fake lbzip2 behaving as `behaviour`: the
  /// compressor must fail with an error naming the program and `expected`, with no thread
  /// running, its byte account at 0 and none of the fake's processes left.
  static func expectFailure(
    _ behaviour: FakeLBZip2.Behaviour, _ expected: String, chunkSize: Int, threads: Int, input: Int
  ) async throws {
    let fake = try FakeLBZip2(behaviour)
    defer { fake.remove() }
    let compressor = try ParallelCompressor(
      chunkSize: chunkSize, threads: threads, bzip2Encoder: .lbzip2(program: fake.program)
    ) { _ in }
    let error = await #expect(throws: CompressionError.self) {
      try await compressor.write(TestData.text(input))
      _ = try await compressor.finish()
    }
    #expect(error?.code == .encoderProgram)
    #expect(error?.description.contains("lbzip2 -9 -n1 -c (\(fake.program))") == true, "\(String(describing: error))")
    #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    #expect(compressor.runningThreads == 0)
    #expect(compressor.account.current.total == 0)
    #expect(!fake.pids.isEmpty)
    #expect(fake.pids.allSatisfy { !FakeLBZip2.isRunning($0) }, "\(fake.pids)")
  }

  static func realProgram() throws -> String {
    guard case .lbzip2(let program) = try installed() else { throw CompressionError(.misuse, "not lbzip2") }
    return program
  }

  /// 40 chunks on one thread take three processes (16, 16 and 8 chunks), each chunk's
  /// stream is the bytes its own `lbzip2 -9 -n1` writes, and no process is left once the
  /// compressor finished.
  @Test func oneProcessEncodesSixteenChunksInTurn() async throws {
    let real = try Self.realProgram()
    let fake = try FakeLBZip2(.wraps(real))
    defer { fake.remove() }
    let chunkSize = 20_000
    let input = TestData.text(600_000) + TestData.random(100_000) + TestData.runs(100_000)
    let compressed = try await Pipelines.compress(
      input, chunkSize: chunkSize, threads: 1, writeSizes: [7_777], bzip2Encoder: .lbzip2(program: fake.program))
    #expect(compressed.summary.streams.count == 40)
    #expect(fake.pids.count == 3, "\(fake.pids)")
    #expect(fake.pids.allSatisfy { !FakeLBZip2.isRunning($0) }, "\(fake.pids)")
    for (index, chunk) in compressed.chunks.enumerated() {
      let slice = Array(input[(index * chunkSize)..<min(input.count, (index + 1) * chunkSize)])
      let alone = try await Tool.run([real, "-9", "-n1", "-c"], input: slice)
      #expect(chunk.bytes == alone, "chunk \(index)")
    }
    #expect(try await Tool.run(["bunzip2", "-c"], input: compressed.bytes) == input)
  }

  /// A process that fails on a later chunk, says anything on standard error, exits
  /// non-zero after its sixteenth chunk, or skips the chunks' pipes quietly fails the
  /// compressor, and leaves nothing running.
  @Test(arguments: ["dies", "complains", "failsAtTheEnd", "skips"])
  func anLbzip2ThatFailsMidSessionFailsTheCompressor(_ how: String) async throws {
    let real = try Self.realProgram()
    let (behaviour, expected): (FakeLBZip2.Behaviour, String) =
      switch how {
      case "dies": (.diesAfterOneChunk(real), "ended with killed by signal 9")
      case "complains": (.complains(real), "wrote on standard error: \(FakeLBZip2.remark)")
      case "skips": (.skipsItsInputs(real), "wrote an empty stream for a chunk of 10000 bytes")
      default: (.failsAtTheEnd(real), "ended with exit status 3")
      }
    try await Self.expectFailure(behaviour, expected, chunkSize: 10_000, threads: 1, input: 200_000)
  }

  /// Each chunk slot of a process is a descriptor of dr's for the process's life: a
  /// compressor keeps to a quarter of the open-file limit, and at worst runs a process per
  /// chunk.
  @Test func chunksPerProcessKeepToAQuarterOfTheOpenFileLimit() {
    #expect(LBZip2ChunkEncoder.chunksPerProcess(threads: 2, openFiles: 1024) == 16)
    #expect(LBZip2ChunkEncoder.chunksPerProcess(threads: 16, openFiles: 1024) == 14)
    #expect(LBZip2ChunkEncoder.chunksPerProcess(threads: 64, openFiles: 1024) == 2)
    #expect(LBZip2ChunkEncoder.chunksPerProcess(threads: 256, openFiles: 1024) == 1)
    #expect(LBZip2ChunkEncoder.chunksPerProcess(threads: 256, openFiles: 1 << 20) == 16)
    for threads in [1, 2, 7, 64, 256] {
      for limit in [64, 256, 1024, 4096] {
        let slots = LBZip2ChunkEncoder.chunksPerProcess(threads: threads, openFiles: limit)
        #expect(slots >= 1 && slots <= 16)
        #expect(slots == 1 || threads * (slots + 2) <= limit / 4, "\(threads) threads, limit \(limit)")
      }
    }
  }

  @Test func aProgramThatCannotRunFailsTheCompressor() async throws {
    let compressor = try ParallelCompressor(
      chunkSize: 300_000, threads: 1, bzip2Encoder: .lbzip2(program: "/nonexistent/lbzip2")
    ) { _ in }
    let error = await #expect(throws: CompressionError.self) {
      try await compressor.write(TestData.text(10_000))
      _ = try await compressor.finish()
    }
    #expect(error?.code == .encoderProgram)
    #expect(error?.description.contains("could not run") == true, "\(String(describing: error))")
    #expect(compressor.runningThreads == 0)
  }

  /// Waits until the fake started its sleep (its pid and its sleep's are written).
  /// Waits for the fake and its sleep. Minutes, not seconds: in a full run the producer task
  /// can wait tens of seconds for a turn on the cooperative pool (103 s for this test once).
  func started(_ fake: FakeLBZip2) async -> Bool {
    await eventually(limit: .seconds(300), every: .milliseconds(20)) { fake.pids.count >= 2 }
  }

  @Test func abortKillsAnLbzip2MidChunk() async throws {
    let fake = try FakeLBZip2(.sleeps)
    defer { fake.remove() }
    let compressor = try ParallelCompressor(
      chunkSize: 100_000, threads: 1, bzip2Encoder: .lbzip2(program: fake.program)
    ) { _ in }
    try await compressor.write(TestData.text(100_000))
    #expect(await started(fake))
    await compressor.abort()
    #expect(compressor.runningThreads == 0)
    // The fake itself is reaped before abort returns; its sleep, killed with its group,
    // is reparented and reaped by init.
    #expect(!FakeLBZip2.isRunning(fake.pids[0]))
    #expect(await eventually(limit: .seconds(120), every: .milliseconds(20)) { !FakeLBZip2.isRunning(fake.pids[1]) })
  }

  @Test func cancellingTheProducerKillsAnLbzip2MidChunk() async throws {
    let fake = try FakeLBZip2(.sleeps)
    defer { fake.remove() }
    let compressor = try ParallelCompressor(
      chunkSize: 100_000, threads: 2, bzip2Encoder: .lbzip2(program: fake.program)
    ) { _ in }
    let producer = Task {
      try await compressor.write(TestData.text(150_000))
      return try await compressor.finish()
    }
    #expect(await started(fake))
    producer.cancel()
    let result = await producer.result
    #expect(throws: CancellationError.self) { try result.get() }
    #expect(compressor.runningThreads == 0)
    #expect(compressor.account.current.total == 0)
    let pids = fake.pids
    #expect(!FakeLBZip2.isRunning(pids[0]))
    #expect(
      await eventually(limit: .seconds(120), every: .milliseconds(20)) { pids.allSatisfy { !FakeLBZip2.isRunning($0) } }
    )
  }
}
