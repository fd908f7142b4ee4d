import DRCore
import Foundation

/// What encodes bzip2 chunks: libbz2 inside dr, or the `lbzip2` program (its own encoder
/// needs about a third less CPU per byte for the same format, docs/compression.md).
public enum BZip2Encoder: Sendable, Hashable, CustomStringConvertible {
  case libbz2
  /// The `lbzip2` executable at `program`, run once per chunk.
  case lbzip2(program: String)

  public var description: String {
    switch self {
    case .libbz2: "libbz2"
    case .lbzip2(let program): "lbzip2 (\(program))"
    }
  }
}

/// Compresses each chunk with one `lbzip2 -<level> -n1 -c`, on the calling worker thread:
/// the chunk is its standard input, its standard output one complete bzip2 stream (header,
/// blocks, end-of-stream marker and combined CRC), as `BZip2ChunkEncoder` writes. Anything
/// but exit status 0 and an output that starts with `BZh<level>` and fits
/// `maximumEncodedSize` is a `CompressionError` naming lbzip2, its status and the end of
/// its standard error; a stop kills it (`FilterProcess`).
final class LBZip2ChunkEncoder: ChunkEncoder {
  /// Variables lbzip2 reads options from: they must not change what dr asked for.
  static let optionVariables: Set<String> = ["LBZIP2", "BZIP2", "BZIP"]

  let program: String
  let level: Int
  let environment: [String: String]
  private var scratch: EncoderScratch

  init(program: String, level: Int, chunkSize: Int) {
    self.program = program
    self.level = level
    environment = ProcessInfo.processInfo.environment.filter { !Self.optionVariables.contains($0.key) }
    scratch = EncoderScratch(codec: .bzip2(level: level), chunkSize: chunkSize)
  }

  var arguments: [String] { ["-\(level)", "-n1", "-c"] }

  func encode(_ input: UnsafeRawBufferPointer, stop: StopFlag) throws -> [UInt8] {
    let limit = Codec.bzip2(level: level).maximumEncodedSize(input.count)
    return try scratch.fill(encoding: input.count) { buffer in
      // The scratch may be larger from an earlier chunk: lbzip2 gets this chunk's bound.
      let output = UnsafeMutableRawBufferPointer(rebasing: buffer[..<limit])
      let outcome: FilterProcess.Outcome
      do {
        outcome = try FilterProcess.run(
          program, arguments, environment: environment, input: input, into: output, stop: stop)
      } catch let error as SystemError {
        throw failure("could not run: \(error.message)")
      }
      try check(outcome, output: output, limit: limit)
      return outcome.outputCount
    }
  }

  private func check(_ outcome: FilterProcess.Outcome, output: UnsafeMutableRawBufferPointer, limit: Int)
    throws(CompressionError)
  {
    if outcome.overflowed {
      throw failure("wrote more than \(limit) bytes, the most a bzip2 stream of this chunk can take")
    }
    guard outcome.termination.succeeded else {
      throw failure("ended with \(outcome.termination)\(Self.lastLines(outcome.standardError))")
    }
    let header = Array("BZh\(level)".utf8)
    guard outcome.outputCount >= header.count, Array(output[..<header.count]) == header else {
      let what = outcome.outputCount == 0 ? "no output" : "output that does not start with BZh\(level)"
      throw failure("exited 0 with \(what)\(Self.lastLines(outcome.standardError))")
    }
  }

  private func failure(_ detail: String) -> CompressionError {
    CompressionError(.encoderProgram, "lbzip2 \(arguments.joined(separator: " ")) (\(program)) \(detail)")
  }

  /// The last three lines of standard error, after ": ", or nothing when it is empty.
  static func lastLines(_ text: String) -> String {
    let lines = text.split(whereSeparator: \.isNewline).suffix(3)
    return lines.isEmpty ? "" : ": " + lines.joined(separator: " / ")
  }
}
