import DRBackup
import DRCore
import DRPostgres

extension Restorer {
  /// At most this much of the dump's head is held while looking for the end of its TOC.
  static let tableOfContentsLimit = 256 << 20

  /// The dump's table of contents, read from the head of the object as the restore reads
  /// it (downloaded, decrypted, decompressed); the download stops once the TOC is whole.
  /// Only the head is held, and at most `tableOfContentsLimit` of it. Its bytes are
  /// authenticated segment by segment when the backup is encrypted; the whole object's
  /// SHA-256 is checked by the restore that follows, before pg_restore sees its end.
  public func readTableOfContents() async throws -> ArchiveTOC {
    guard let object = manifest.object(.dump) else { throw RestoreError(.corrupt, "the manifest lists no dump") }
    let head = ArchiveHead(limit: Self.tableOfContentsLimit)
    do {
      _ = try await fetch(object) { try await head.take($0) }
    } catch {
      // Stopping the download once the TOC is read ends it with an error: that one is success.
      if let toc = await head.toc { return toc }
      throw error
    }
    if let toc = await head.toc { return toc }
    throw RestoreError(.corrupt, "\(object.key) ends inside its table of contents")
  }
}

/// The head of a dump, gathered until it holds a whole TOC.
actor ArchiveHead {
  let limit: Int
  private var bytes: [UInt8] = []
  private(set) var toc: ArchiveTOC?

  init(limit: Int) {
    self.limit = limit
  }

  func take(_ chunk: [UInt8]) throws {
    guard toc == nil else { throw HeadRead() }
    bytes += chunk
    let parsed: ArchiveTOC
    do {
      parsed = try ArchiveTOC.parse(bytes)
    } catch .needMore {
      guard bytes.count <= limit else {
        throw RestoreError(
          .hostLacks,
          "the dump's table of contents is larger than \(limit >> 20) MiB, more than dr reads to select from")
      }
      return
    } catch .notCustomFormat(let why) {
      throw RestoreError(.restore, "the dump is not an archive dr can select from: \(why)")
    }
    toc = parsed
    bytes = []
    throw HeadRead()
  }
}

/// The TOC is whole: the download can stop.
struct HeadRead: Error {}
