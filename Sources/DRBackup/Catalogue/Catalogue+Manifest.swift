import DRCompression
import DRCore
import DRS3
import Foundation

/// What reading a backup's manifest found.
public enum ManifestLookup: Sendable, Equatable {
  case found(BackupManifest)
  /// Known to be absent: the server said NoSuchKey.
  case absent
  /// There, or maybe there, but not readable or not understood.
  case unknown(ManifestProblem)
}

/// Why a manifest is unknown. Its `reason` completes "the manifest of ID …".
public struct ManifestProblem: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The storage did not give it (refused, errors past the retry budget): this reader's
    /// trouble, not the backup's.
    case unreadable
    /// It was read and is damaged: not JSON, cut short, or naming objects outside its backup.
    case damaged
    /// A newer dr wrote it, in a format this one does not know.
    case newerFormat
  }

  public let kind: Kind
  public let reason: String

  public init(_ kind: Kind, _ reason: String) {
    self.kind = kind
    self.reason = reason
  }

  public var description: String { reason }
}

extension Catalogue {
  /// Reads one manifest and says what it found. Only a 404 is "absent"; a refusal, an
  /// error past the retry budget, a body cut short, a format this dr does not know and a
  /// manifest naming objects outside its backup are all "unknown". Throws only when
  /// cancelled.
  public func lookUpManifest(of id: BackupID) async throws -> ManifestLookup {
    let bytes: [UInt8]
    do {
      bytes = try await client.getObjectBytes(bucket: bucket, key: layout.manifestKey(id))
    } catch let error as S3Error where Self.isAbsent(error) {
      return .absent
    } catch {
      try Task.checkCancellation()
      return .unknown(.init(.unreadable, "could not be read: \(error)"))
    }
    return decode(bytes, of: id)
  }

  /// NoSuchKey, or a bodiless 404: the object is not there.
  static func isAbsent(_ error: S3Error) -> Bool {
    guard case .server(404, let code) = error.kind else { return false }
    return code == "NoSuchKey" || code == "NotFound"
  }

  func decode(_ bytes: [UInt8], of id: BackupID) -> ManifestLookup {
    let data = Data(bytes)
    // The format first: a newer dr's manifest may not decode as this dr's, and must not
    // read as damaged (or, worse, as absent).
    guard let probe = try? BucketJSON.decoder.decode(FormatProbe.self, from: data) else {
      return .unknown(.init(.damaged, "cannot be read: \(bytes.count) bytes that are not a JSON manifest (cut short?)"))
    }
    guard let format = probe.formatVersion, format >= 1 else {
      return .unknown(.init(.damaged, "cannot be read: it has no format_version"))
    }
    guard format <= BackupManifest.currentFormat else {
      return .unknown(
        .init(
          .newerFormat,
          "was written by a newer dr (manifest format \(format); this dr reads up to \(BackupManifest.currentFormat)): "
            + "upgrade dr to use it"))
    }
    let manifest: BackupManifest
    do {
      manifest = try BucketJSON.decoder.decode(BackupManifest.self, from: data)
    } catch {
      return .unknown(.init(.damaged, "cannot be read: \(error)"))
    }
    // The manifest is read from a bucket others may write to: the keys it names must be
    // this backup's, plain (no `..` segment, no control character), or it is not used.
    let inside = manifest.objects.allSatisfy {
      $0.key.hasPrefix(layout.backupPrefix(id)) && !$0.key.split(separator: "/").contains("..")
        && $0.key.escapingControlCharacters == $0.key && $0.key.utf8.count <= 1024
    }
    guard manifest.id == id, inside else { return .unknown(.init(.damaged, "names objects outside the backup")) }
    // A codec this dr cannot decode: a newer dr's backup, not a damaged one.
    if let codec = manifest.objects.map(\.compression.codec).first(where: { Codec(name: $0, level: 0) == nil }) {
      return .unknown(
        .init(
          .newerFormat,
          "was written by a newer dr (compression codec '\(codec.escapingControlCharacters)', which this dr does not "
            + "know): upgrade dr to use it"))
    }
    if let problem = manifest.databasesProblem { return .unknown(.init(.damaged, problem)) }
    return .found(manifest)
  }

  private struct FormatProbe: Decodable {
    let formatVersion: Int?
  }
}
