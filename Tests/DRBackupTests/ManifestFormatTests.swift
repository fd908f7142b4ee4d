import DRCompression
import Foundation
import Testing

@testable import DRBackup

/// A manifest is written in the oldest format that describes it: a dr that reads only
/// format 1 keeps reading bzip2 and uncompressed backups, and sees a zstd one as a newer
/// dr's (unknown, kept) rather than one it cannot decompress.
struct ManifestFormatTests {
  static func objects(_ codecs: [String]) -> [BackupManifest.Object] {
    var manifest = KeyFixture.manifest(nil)
    let template = manifest.objects[0]
    manifest.objects = codecs.map { codec in
      var object = template
      object.compression.codec = codec
      return object
    }
    return manifest.objects
  }

  @Test func theOldestFormatThatKnowsEveryCodecIsChosen() {
    #expect(BackupManifest.currentFormat == 2)
    #expect(BackupManifest.format(for: Self.objects(["bzip2", "bzip2"])) == 1)
    #expect(BackupManifest.format(for: Self.objects(["none"])) == 1)
    #expect(BackupManifest.format(for: Self.objects([])) == 1)
    #expect(BackupManifest.format(for: Self.objects(["zstd", "zstd"])) == 2)
    #expect(BackupManifest.format(for: Self.objects(["bzip2", "zstd"])) == 2)
  }

  /// Several databases or a zstd object each need format 2; either alone is enough.
  @Test func theFormatCoversBothTheCodecsAndTheDatabases() {
    #expect(BackupManifest.format(for: Self.objects(["bzip2", "bzip2"]), databaseCount: 1) == 1)
    #expect(BackupManifest.format(for: Self.objects(["bzip2", "bzip2"]), databaseCount: 2) == 2)
    #expect(BackupManifest.format(for: Self.objects(["zstd", "zstd"]), databaseCount: 1) == 2)
    #expect(BackupManifest.format(for: Self.objects(["zstd", "zstd"]), databaseCount: 3) == 2)
  }

  /// Every codec a format introduced is one this dr decodes.
  @Test func everyCodecOfEveryFormatIsKnown() {
    for codecs in BackupManifest.codecsByFormat.values {
      for name in codecs { #expect(Codec(name: name, level: 3) != nil, "\(name)") }
    }
    #expect(Set(BackupManifest.codecsByFormat.keys) == Set(1...BackupManifest.currentFormat))
  }
}
