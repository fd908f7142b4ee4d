import DRBackup
import DRCompression
import DRCore
import DRPolicy
import Foundation
import Testing

/// `backup.compression.encoder` resolved against a PATH, once per backup: `auto` takes the
/// lbzip2 on PATH or falls back to libbz2, `lbzip2` without one is refused saying what to
/// install, and other codecs have no encoder to choose.
struct BackupCompressionTests {
  /// A directory with no lbzip2 in it, and one with a (never run) executable lbzip2.
  static func directories() throws -> (empty: String, withLbzip2: String) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("dr-encoder-\(UUID().uuidString)").path
    let empty = "\(root)/empty"
    let withLbzip2 = "\(root)/bin"
    for directory in [empty, withLbzip2] {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    try "#!/bin/sh\nexit 1\n".write(toFile: "\(withLbzip2)/lbzip2", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(withLbzip2)/lbzip2")
    return (empty, withLbzip2)
  }

  static func settings(_ encoder: CompressionSettings.Encoder, codec: CompressionSettings.Codec = .bzip2)
    -> CompressionSettings
  {
    CompressionSettings(codec: codec, level: CompressionSettings.defaultLevel(codec), threads: .auto, encoder: encoder)
  }

  @Test func autoTakesTheLbzip2OnPathAndElseLibbz2() throws {
    let (empty, bin) = try Self.directories()
    let found = try BackupCompression(Self.settings(.auto), environment: ["PATH": "\(empty):\(bin)"])
    #expect(found.bzip2Encoder == .lbzip2(program: "\(bin)/lbzip2"))
    #expect(found.description == "bzip2 level 9 with lbzip2 (\(bin)/lbzip2)")
    // Only PATH counts: /usr/bin's lbzip2 (installed here) is not looked for outside it.
    let none = try BackupCompression(Self.settings(.auto), environment: ["PATH": empty])
    #expect(none.bzip2Encoder == .libbz2)
    #expect(none.description == "bzip2 level 9 with libbz2")
    let unset = try BackupCompression(Self.settings(.auto), environment: [:])
    #expect(unset.bzip2Encoder == .libbz2)
  }

  @Test func libbz2IsUsedEvenWithLbzip2OnPath() throws {
    let (_, bin) = try Self.directories()
    let chosen = try BackupCompression(Self.settings(.libbz2), environment: ["PATH": bin])
    #expect(chosen.bzip2Encoder == .libbz2)
    #expect(chosen.codec == .bzip2(level: 9))
  }

  @Test func lbzip2RequiredAndMissingIsRefusedSayingWhatToInstall() throws {
    let (empty, bin) = try Self.directories()
    let error = #expect(throws: BackupError.self) {
      try BackupCompression(Self.settings(.lbzip2), environment: ["PATH": empty])
    }
    #expect(error?.code == .invalid)
    #expect(error?.description.contains("backup.compression.encoder is lbzip2") == true)
    #expect(error?.description.contains("install Debian's lbzip2 package") == true)
    #expect(error?.description.contains("encoder: libbz2") == true)
    let present = try BackupCompression(Self.settings(.lbzip2), environment: ["PATH": bin])
    #expect(present.bzip2Encoder == .lbzip2(program: "\(bin)/lbzip2"))
  }

  @Test func zstdAndNoneHaveNoBzip2Encoder() throws {
    let (_, bin) = try Self.directories()
    let zstd = try BackupCompression(Self.settings(.auto, codec: .zstd), environment: ["PATH": bin])
    #expect(zstd.codec == .zstd(level: 3))
    #expect(zstd.bzip2Encoder == .libbz2)
    #expect(zstd.description == "zstd level 3")
    let none = try BackupCompression(Self.settings(.auto, codec: .none), environment: ["PATH": bin])
    #expect(none.description == "none")
  }
}
