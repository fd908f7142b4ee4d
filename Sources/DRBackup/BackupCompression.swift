import DRCompression
import DRCore
import DRPolicy

/// A backup's compression, resolved once per backup from the policy: the codec and, for
/// bzip2, what encodes it. `encoder: auto` takes the `lbzip2` on PATH when there is one (its
/// encoder needs about a third less CPU than libbz2 for the same format), else libbz2;
/// `encoder: lbzip2` without one on PATH is refused before anything is uploaded.
public struct BackupCompression: Sendable, Equatable, CustomStringConvertible {
  public let codec: Codec
  public let bzip2Encoder: BZip2Encoder

  /// `environment`'s PATH is searched, and only it (not the system directories): what
  /// `auto` finds is what a shell in that environment would run.
  public init(_ settings: CompressionSettings, environment: [String: String]) throws(BackupError) {
    codec = BackupRunner.codec(settings)
    guard case .bzip2 = codec else {
      bzip2Encoder = .libbz2
      return
    }
    let found = ProgramSearch.find("lbzip2", path: environment["PATH"], systemDirectories: false)
    switch (settings.encoder, found) {
    case (.libbz2, _), (.auto, nil): bzip2Encoder = .libbz2
    case (.auto, let program?), (.lbzip2, let program?): bzip2Encoder = .lbzip2(program: program)
    case (.lbzip2, nil):
      throw BackupError(
        .invalid,
        "backup.compression.encoder is lbzip2 but no executable lbzip2 is on PATH: install Debian's lbzip2 "
          + "package (apt-get install lbzip2), or set encoder: libbz2")
    }
  }

  /// `bzip2 level 9 with lbzip2 (/usr/bin/lbzip2)`, `zstd level 3`, `none`.
  public var description: String {
    switch codec {
    case .none: "none"
    case .bzip2: "bzip2 level \(codec.level) with \(bzip2Encoder)"
    case .zstd: "zstd level \(codec.level)"
    }
  }

  /// A compressor of this codec and encoder.
  func compressor(threads: Int?, consumer: @escaping ParallelCompressor.Consumer) throws -> ParallelCompressor {
    try ParallelCompressor(codec: codec, threads: threads, bzip2Encoder: bzip2Encoder, consumer: consumer)
  }
}
