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

/// Compresses chunks with `lbzip2 -<level> -n1 -c`, on the calling worker thread: one
/// process (a `FilterSession`) encodes `chunksPerProcess` chunks in turn (16, fewer when
/// descriptors are scarce), each read from a pipe of its own and followed by `/dev/null`.
/// Its standard output is then each chunk's complete bzip2 stream (header, blocks,
/// end-of-stream marker and combined CRC, as `BZip2ChunkEncoder` writes) followed by the
/// empty stream of `/dev/null`, which ends the chunk's output. A process per chunk cost
/// 1.3-2.2 CPU-s per 730 MB, 8-12 %, each one faulting in its working memory afresh
/// (docs/performance.md).
///
/// A chunk's stream is taken only when it starts with `BZh<level>`, fits
/// `maximumEncodedSize`, holds a block right after its header (is the empty stream, for an
/// empty chunk) and is followed by the empty stream with nothing on standard error; the
/// last chunk of a process also needs its exit status 0. Anything else is a
/// `CompressionError` naming lbzip2, its status and the end of its standard error, and
/// the process is killed; a stop kills it too. The process of a thread lives until its
/// last chunk, a failure, or the encoder's end (its thread's), which kills it.
final class LBZip2ChunkEncoder: ChunkEncoder {
  /// Variables lbzip2 reads options from: they must not change what dr asked for.
  static let optionVariables: Set<String> = ["LBZIP2", "BZIP2", "BZIP"]
  /// Chunks one process encodes, at most: 72 MB of input at level 9.
  static let mostChunksPerProcess = 16
  /// What starts every bzip2 block (the first right after a stream's 4-byte header).
  static let blockMagic: [UInt8] = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]

  /// Chunks per process for one of `threads` threads of a compressor: each costs dr one
  /// descriptor for the process's life, and a compressor's processes keep to a quarter of
  /// the open-file limit (a 64-core machine under systemd's soft limit of 1024 gets 2;
  /// with 1, a process per chunk, as lbzip2 ran before).
  static func chunksPerProcess(threads: Int, openFiles limit: Int) -> Int {
    max(1, min(mostChunksPerProcess, limit / 4 / max(1, threads) - 2))
  }

  let program: String
  let level: Int
  let environment: [String: String]
  /// What lbzip2 writes for an empty input: `BZh<level>`, the end-of-stream marker and a
  /// combined CRC of 0. Inside a stream it would be 14 bytes of compressed data matching
  /// by chance, one position in 2^112.
  let emptyStream: [UInt8]
  let chunksPerProcess: Int
  private var session: FilterSession?
  private var buffer: [UInt8] = []

  init(program: String, level: Int, chunkSize: Int, chunksPerProcess: Int = mostChunksPerProcess) {
    self.program = program
    self.level = level
    self.chunksPerProcess = chunksPerProcess
    environment = ProcessInfo.processInfo.environment.filter { !Self.optionVariables.contains($0.key) }
    emptyStream = Array("BZh\(level)".utf8) + [0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0, 0, 0, 0]
    buffer = [UInt8](repeating: 0, count: capacity(Codec.bzip2(level: level).maximumEncodedSize(chunkSize)))
  }

  var arguments: [String] { ["-\(level)", "-n1", "-c"] }

  /// Room for a chunk's stream, the empty stream after it, and the next one's header.
  private func capacity(_ limit: Int) -> Int { limit + 2 * emptyStream.count }

  func encode(_ input: UnsafeRawBufferPointer, stop: StopFlag) throws -> [UInt8] {
    let limit = Codec.bzip2(level: level).maximumEncodedSize(input.count)
    let room = capacity(limit)
    if buffer.count < room { buffer = [UInt8](repeating: 0, count: room) }
    do {
      let session = try session ?? start()
      self.session = session
      let exchange = try buffer.withUnsafeMutableBytes {
        try session.exchange(
          input, delimiter: emptyStream, after: emptyStream.count,
          into: UnsafeMutableRawBufferPointer(rebasing: $0[..<room]), stop: stop)
      }
      let count = try accept(exchange, from: session, limit: limit, chunk: input.count)
      if session.remaining == 0 {
        self.session = nil
        try check(try session.finish(stop: stop))
      }
      return Array(buffer[..<count])
    } catch let error as SystemError {
      session = nil
      throw failure("could not run: \(error.message)")
    } catch {
      session = nil
      throw error
    }
  }

  private func start() throws -> FilterSession {
    try FilterSession(program, inputs: chunksPerProcess, environment: environment) { paths in
      arguments + paths.flatMap { [$0, "/dev/null"] }
    }
  }

  /// The length of the stream at the start of the buffer, for a chunk of `chunk` bytes.
  private func accept(_ exchange: FilterSession.Exchange, from session: FilterSession, limit: Int, chunk: Int)
    throws(CompressionError) -> Int
  {
    switch exchange {
    case .ended(let outcome):
      throw ended(outcome, limit: limit)
    case .delimited(let count):
      if count > limit { throw overflow(limit) }
      guard session.standardError.isEmpty else {
        throw failure("wrote on standard error\(Self.lastLines(session.standardError))")
      }
      guard startsWithHeader(count) else {
        throw failure("wrote output that does not start with BZh\(level)")
      }
      guard holdsBlocks(count, forChunkOf: chunk) else {
        let what = count == emptyStream.count ? "an empty stream" : "a stream without blocks"
        throw failure("wrote \(what) for a chunk of \(chunk) bytes")
      }
      return count
    }
  }

  /// Whether the stream fits its chunk's size: the empty stream exactly for an empty chunk,
  /// a first block right after the header otherwise. A lbzip2 that could not open the
  /// chunk's pipe (no /dev/fd) skips it and goes on to `/dev/null`, whose empty stream
  /// would otherwise pass for the chunk's, and lose it.
  private func holdsBlocks(_ count: Int, forChunkOf chunk: Int) -> Bool {
    if chunk == 0 { return buffer[..<count].elementsEqual(emptyStream) }
    return count > 10 && buffer[4..<10].elementsEqual(Self.blockMagic)
  }

  /// A process after its last chunk: it must exit 0, silent, with nothing more written.
  private func check(_ outcome: FilterSession.Outcome) throws(CompressionError) {
    guard outcome.termination.succeeded, outcome.standardError.isEmpty, outcome.outputCount == 0 else {
      let more = outcome.outputCount == 0 ? "" : " and \(outcome.outputCount) bytes more"
      throw failure("ended with \(outcome.termination)\(more)\(Self.lastLines(outcome.standardError))")
    }
  }

  /// Why output that ended before the empty stream fails the chunk.
  private func ended(_ outcome: FilterSession.Outcome, limit: Int) -> CompressionError {
    if outcome.overflowed { return overflow(limit) }
    guard outcome.termination.succeeded else {
      return failure("ended with \(outcome.termination)\(Self.lastLines(outcome.standardError))")
    }
    let what =
      if outcome.outputCount == 0 { "no output" } else if !startsWithHeader(outcome.outputCount) {
        "output that does not start with BZh\(level)"
      } else { "a stream not followed by the empty one of /dev/null" }
    return failure("exited 0 with \(what)\(Self.lastLines(outcome.standardError))")
  }

  private func startsWithHeader(_ count: Int) -> Bool {
    let header = emptyStream.prefix(4)
    return count >= header.count && buffer[..<header.count].elementsEqual(header)
  }

  private func overflow(_ limit: Int) -> CompressionError {
    failure("wrote more than \(limit) bytes, the most a bzip2 stream of this chunk can take")
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
