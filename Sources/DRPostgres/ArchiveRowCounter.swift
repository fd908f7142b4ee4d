#if canImport(Glibc)
  import Glibc
#endif

/// Counts the rows of every table in a pg_dump custom-format archive as the archive
/// streams past, uncompressed (`-Z0`): the rows pg_dump copied in its snapshot, so the
/// exact row counts of that snapshot without reading any table a second time.
///
/// After the header and TOC (`ArchiveTOC`), a custom archive written to a pipe is a run of
/// blocks (pg_backup_custom.c): a type byte (1 data, 3 large objects), the dump ID, then
/// chunks of a length and that many bytes, ended by a length of 0 (large objects: an OID
/// before each object's chunks, 0 after the last). A TABLE DATA block holds COPY text: one
/// line per row (a newline inside a value is written `\n`), ended by the line `\.`, which
/// no row can start with (a backslash in a value is written `\\`).
///
/// Anything else (a compressed archive, a version or block this does not know, a TABLE
/// DATA block without its end line, a stream that stops inside a block) makes the counts
/// `unavailable`, with the reason: the caller counts another way, never with a guess.
public struct ArchiveRowCounter: Sendable {
  /// A table named as the TOC names it.
  public struct Table: Hashable, Sendable {
    public let schema: String
    public let name: String

    public init(schema: String, name: String) {
      self.schema = schema
      self.name = name
    }
  }

  public enum Outcome: Sendable, Equatable {
    case counted([Table: Int64])
    case unavailable(String)
  }

  enum Phase: Sendable {
    case head
    case blockType
    case blockID(largeObjects: Bool)
    case objectOID
    case chunkLength(largeObjects: Bool)
    case chunkData(remaining: Int, largeObjects: Bool)
    case failed(String)
  }

  /// At most this much of the archive's head is held while its TOC is incomplete (a copy:
  /// the bytes go on to the compressor too); beyond it, the rows are counted another way.
  let headLimit: Int
  private var phase = Phase.head
  private var head: [UInt8] = []
  private var nextParse = 0
  private var intSize = 4
  /// The bytes of an integer split between two reads.
  private var partialInt: [UInt8] = []
  /// TABLE DATA dump IDs and their tables.
  private var tableData: [Int: Table] = [:]
  private var counted: [Table: Int64] = [:]
  /// The table whose block is being read, if it is one.
  private var current: (table: Table, lines: CopyLineCounter)?

  public init() { headLimit = 64 << 20 }

  init(headLimit: Int) { self.headLimit = headLimit }

  /// The next bytes of the archive, in order.
  public mutating func feed(_ bytes: [UInt8]) {
    switch phase {
    case .failed: return
    case .head: readHead(bytes)
    default: bytes.withUnsafeBytes { readBlocks($0) }
    }
  }

  /// The counts once the whole archive was fed: every TABLE DATA block read to its end.
  public var outcome: Outcome {
    switch phase {
    case .failed(let why): return .unavailable(why)
    case .head: return .unavailable("the archive ends inside its table of contents")
    case .blockType:
      let missing = tableData.values.filter { counted[$0] == nil }
      if let table = missing.first {
        return .unavailable("the archive has no data block for \(table.schema).\(table.name)")
      }
      return .counted(counted)
    default: return .unavailable("the archive ends inside a data block")
    }
  }

  private mutating func readHead(_ bytes: [UInt8]) {
    head += bytes
    // Parsed again only when the head has doubled (a TOC of many MiB costs linear time),
    // and once more past the limit.
    guard head.count >= nextParse || head.count > headLimit else { return }
    let toc: ArchiveTOC
    do {
      toc = try ArchiveTOC.parse(head)
    } catch {
      switch error {
      case .needMore where head.count > headLimit:
        fail("its table of contents is larger than \(headLimit >> 20) MiB")
      case .needMore: nextParse = head.count * 2
      case .notCustomFormat(let why): fail(why)
      }
      return
    }
    guard toc.compressed == false else { return fail("the archive's data is compressed") }
    intSize = toc.intSize
    for entry in toc.entries where entry.desc == "TABLE DATA" {
      tableData[entry.id] = Table(schema: entry.namespace ?? "", name: entry.tag)
    }
    let rest = Array(head[toc.length...])
    head = []
    phase = .blockType
    rest.withUnsafeBytes { readBlocks($0) }
  }

  private mutating func fail(_ why: String) {
    phase = .failed(why)
    head = []
    current = nil
  }
}

extension ArchiveRowCounter {
  private mutating func readBlocks(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
      switch phase {
      case .head, .failed: return
      case .blockType:
        let type = bytes[offset]
        offset += 1
        guard type == 1 || type == 3 else { return fail("an unknown block type \(type)") }
        phase = .blockID(largeObjects: type == 3)
      case .blockID(let largeObjects):
        guard let id = readInt(bytes, &offset) else { return }
        if !largeObjects, let table = tableData[id] {
          guard counted[table] == nil else { return fail("two data blocks for \(table.schema).\(table.name)") }
          current = (table, CopyLineCounter())
        }
        phase = largeObjects ? .objectOID : .chunkLength(largeObjects: false)
      case .objectOID:
        guard let oid = readInt(bytes, &offset) else { return }
        phase = oid == 0 ? .blockType : .chunkLength(largeObjects: true)
      case .chunkLength(let largeObjects):
        guard let length = readInt(bytes, &offset) else { return }
        guard length >= 0 else { return fail("a negative chunk length") }
        if length > 0 {
          phase = .chunkData(remaining: length, largeObjects: largeObjects)
        } else if largeObjects {
          phase = .objectOID
        } else {
          endBlock()
        }
      case .chunkData(let remaining, let largeObjects):
        let take = min(remaining, bytes.count - offset)
        if current != nil { current!.lines.count(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take])) }
        offset += take
        phase =
          take == remaining
          ? .chunkLength(largeObjects: largeObjects)
          : .chunkData(remaining: remaining - take, largeObjects: largeObjects)
      }
    }
  }

  private mutating func endBlock() {
    defer { current = nil }
    phase = .blockType
    guard let (table, lines) = current else { return }
    guard lines.ended else { return fail("the COPY data of \(table.schema).\(table.name) has no end line") }
    counted[table] = lines.rows
  }

  /// A sign byte and `intSize` bytes, least significant first, possibly split between reads.
  private mutating func readInt(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> Int? {
    let width = intSize + 1
    if partialInt.isEmpty, bytes.count - offset >= width {
      defer { offset += width }
      return TOCReader.decodeInt(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + width]))
    }
    let take = min(width - partialInt.count, bytes.count - offset)
    partialInt += bytes[offset..<offset + take]
    offset += take
    guard partialInt.count == width else { return nil }
    defer { partialInt = [] }
    return partialInt.withUnsafeBytes { TOCReader.decodeInt($0) }
  }
}

/// The rows of one table's COPY text: its lines before the line `\.`.
struct CopyLineCounter: Sendable {
  private(set) var rows: Int64 = 0
  private(set) var ended = false
  private var atLineStart = true
  /// A line began with a backslash, the chunk ended after it.
  private var backslashAtStart = false

  mutating func count(_ bytes: UnsafeRawBufferPointer) {
    guard !ended, let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
      if backslashAtStart {
        backslashAtStart = false
        if bytes[offset] == UInt8(ascii: ".") {
          ended = true
          return
        }
      } else if atLineStart {
        atLineStart = false
        if bytes[offset] == UInt8(ascii: "\\") {
          backslashAtStart = true
          offset += 1
          continue
        }
      }
      guard let found = memchr(base + offset, 0x0A, bytes.count - offset) else { return }
      rows += 1
      offset = base.distance(to: UnsafeRawPointer(found)) + 1
      atLineStart = true
    }
  }
}
