import DRCompression
import DRCore
import DRTestSupport
import Foundation
import Testing

/// The entry `scripts/bench-compression` runs: compresses `DR_BENCH_INPUT` into
/// `DR_BENCH_OUTPUT` with `DR_BENCH_THREADS` threads (`DR_BENCH_CHUNK` bytes per chunk,
/// `DR_BENCH_LEVEL`, codec `DR_BENCH_CODEC`: bzip2, the default, or zstd; bzip2's encoder
/// `DR_BENCH_ENCODER`: libbz2, the default, or lbzip2, the one on PATH), reading it in
/// 64 KiB pieces as from pg_dump's pipe, and prints one
/// `dr-bench` line with the wall time. Without `DR_BENCH_INPUT` it runs the same path on
/// 8 MiB of generated rows and checks the result, so it is a test in ordinary runs.
@Suite struct BenchEntry {
  static let environment = ProcessInfo.processInfo.environment

  @Test func compressFile() async throws {
    let directory = Self.environment["DR_BENCH_INPUT"] == nil ? TemporaryDirectory.unique("dr-bench") : nil
    defer { if let directory { try? FileManager.default.removeItem(atPath: directory) } }
    let input = try Self.environment["DR_BENCH_INPUT"] ?? Self.writeSample(in: directory!)
    let output = Self.environment["DR_BENCH_OUTPUT"] ?? directory! + "/sample.bz2"
    let threads = Self.environment["DR_BENCH_THREADS"].flatMap { Int($0) }
    let chunkSize = Self.environment["DR_BENCH_CHUNK"].flatMap { Int($0) }
    let zstd = Self.environment["DR_BENCH_CODEC"] == "zstd"
    let level = Self.environment["DR_BENCH_LEVEL"].flatMap { Int($0) } ?? (zstd ? 3 : 9)
    let codec = zstd ? Codec.zstd(level: level) : .bzip2(level: level)
    let encoder = try Self.encoder(Self.environment["DR_BENCH_ENCODER"])

    let start = ContinuousClock.now
    let summary = try await Self.compress(
      input, to: output, codec: codec, chunkSize: chunkSize, threads: threads, encoder: encoder)
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    print(
      "dr-bench codec=\(codec.name) encoder=\(encoder) threads=\(summary.threads) chunk=\(summary.chunkSize) level=\(level) seconds=\(seconds) "
        + "in=\(summary.bytesIn) out=\(summary.bytesOut) streams=\(summary.streams.count) "
        + "peak=\(summary.peakBufferedBytes) bound=\(summary.memoryBound)")
    if directory != nil {
      let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: input)))
      let compressed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
      #expect(try await Tool.run(["bunzip2", "-c"], input: compressed) == original)
    }
  }

  static func encoder(_ name: String?) throws -> BZip2Encoder {
    guard name == "lbzip2" else { return .libbz2 }
    let program = try #require(ProgramSearch.find("lbzip2", path: environment["PATH"]), "no lbzip2 on PATH")
    return .lbzip2(program: program)
  }

  static func compress(
    _ input: String, to output: String, codec: Codec, chunkSize: Int?, threads: Int?, encoder: BZip2Encoder
  ) async throws -> CompressionSummary {
    let source = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    let sink = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    defer {
      try? source.close()
      try? sink.close()
    }
    let compressor = try ParallelCompressor(
      codec: codec, chunkSize: chunkSize, threads: threads, bzip2Encoder: encoder
    ) { chunk in
      try sink.write(contentsOf: chunk.bytes)
    }
    while let data = try source.read(upToCount: 64 << 10), !data.isEmpty {
      try await compressor.write([UInt8](data))
    }
    return try await compressor.finish()
  }

  static func writeSample(in directory: String) throws -> String {
    let path = directory + "/sample"
    try Data(TestData.text(8 << 20)).write(to: URL(fileURLWithPath: path))
    return path
  }
}
