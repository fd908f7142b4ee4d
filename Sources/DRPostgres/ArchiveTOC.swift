/// The table of contents of a pg_dump custom-format archive, read from its first bytes.
///
/// `pg_restore -l` prints the entries but not their dependencies, and a partial restore
/// needs those (which index, constraint, trigger, grant or owned sequence belongs to a
/// table; what function a trigger calls). A custom-format archive written to a pipe, as dr
/// writes them, has its whole TOC at its head, dependencies included, so the TOC is parsed
/// here from the head of the stream (format of `ReadHead`/`ReadToc` in PostgreSQL's
/// pg_backup_archiver.c, archive versions 1.12 to 1.16). The backup's row counter
/// (`ArchiveRowCounter`) starts from the same parse, then reads the data blocks after it.
public struct ArchiveTOC: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public let id: Int
    /// `TABLE`, `TABLE DATA`, `INDEX`, `FK CONSTRAINT`, `ACL`, …
    public let desc: String
    public let namespace: String?
    public let tag: String
    public let owner: String?
    /// 1 none, 2 pre-data, 3 data, 4 post-data.
    public let section: Int
    public let dependencies: [Int]

    /// `shop.orders`, `shop orders_pkey`: how it is named in messages.
    public var name: String { namespace.map { "\($0).\(tag)" } ?? tag }
    /// `FK CONSTRAINT shop.orders orders_customer_id_fkey`, `COMMENT ON TABLE shop.orders`.
    public var described: String {
      guard ["COMMENT", "ACL", "SECURITY LABEL"].contains(desc), let space = tag.firstIndex(of: " ") else {
        return "\(desc) \(name)"
      }
      let object = String(tag[tag.index(after: space)...])
      return "\(desc) ON \(tag[..<space]) \(namespace.map { "\($0).\(object)" } ?? object)"
    }
  }

  public let version: (major: UInt8, minor: UInt8)
  public let entries: [Entry]
  /// The bytes of the header and the TOC: where the archive's data blocks begin.
  public var length = 0
  /// The size of the archive's integers (without their sign byte).
  public var intSize = 4
  /// pg_dump compressed the data blocks (dr's dumps are `-Z0`: it compresses them itself).
  public var compressed = false

  public init(version: (major: UInt8, minor: UInt8), entries: [Entry]) {
    self.version = version
    self.entries = entries
  }

  public static func == (lhs: ArchiveTOC, rhs: ArchiveTOC) -> Bool {
    lhs.version == rhs.version && lhs.entries == rhs.entries
  }

  /// Why the head could not be read as a TOC.
  public enum ParseError: Error, Equatable {
    /// More bytes are needed.
    case needMore
    case notCustomFormat(String)
  }

  /// Parses the TOC at the start of `bytes`; `.needMore` when they end before it does.
  public static func parse(_ bytes: [UInt8]) throws(ParseError) -> ArchiveTOC {
    var reader = TOCReader(bytes: bytes)
    let version = try reader.header()
    let count = try reader.int()
    guard count >= 0, count < 50_000_000 else { throw .notCustomFormat("an impossible TOC size \(count)") }
    var entries: [Entry] = []
    entries.reserveCapacity(min(count, 100_000))
    for _ in 0..<count { entries.append(try reader.entry(version: version)) }
    var toc = ArchiveTOC(version: version, entries: entries)
    (toc.length, toc.intSize, toc.compressed) = (reader.position, reader.intSize, reader.compressed)
    return toc
  }
}

/// Reads pg_dump's archive integers (a sign byte, then `intSize` bytes, least significant
/// first), strings (a length, -1 for NULL, then the bytes) and offsets.
struct TOCReader {
  let bytes: [UInt8]
  var position = 0
  var intSize = 4
  var offSize = 8
  var compressed = false

  mutating func byte() throws(ArchiveTOC.ParseError) -> UInt8 {
    guard position < bytes.count else { throw .needMore }
    defer { position += 1 }
    return bytes[position]
  }

  mutating func int() throws(ArchiveTOC.ParseError) -> Int {
    let width = intSize + 1
    guard position + width <= bytes.count else { throw .needMore }
    defer { position += width }
    return bytes.withUnsafeBytes { Self.decodeInt(.init(rebasing: $0[position..<position + width])) }
  }

  /// An archive integer from its bytes: a sign byte, then the value, least significant
  /// byte first (bytes past the eighth ignored).
  static func decodeInt(_ bytes: UnsafeRawBufferPointer) -> Int {
    var value = 0
    for index in 1..<bytes.count where index <= 8 { value |= Int(bytes[index]) << (8 * (index - 1)) }
    return bytes[0] != 0 ? -value : value
  }

  mutating func string() throws(ArchiveTOC.ParseError) -> String? {
    let length = try int()
    guard length >= 0 else { return nil }
    guard length < 1 << 30 else { throw .notCustomFormat("an impossible string length \(length)") }
    guard position + length <= bytes.count else { throw .needMore }
    defer { position += length }
    return String(decoding: bytes[position..<position + length], as: UTF8.self)
  }

  mutating func header() throws(ArchiveTOC.ParseError) -> (major: UInt8, minor: UInt8) {
    guard bytes.count >= 5 else { throw .needMore }
    guard Array(bytes[0..<5]) == Array("PGDMP".utf8) else { throw .notCustomFormat("no PGDMP magic") }
    position = 5
    let major = try byte()
    let minor = try byte()
    _ = try byte()  // revision
    guard major == 1, (12...16).contains(minor) else {
      throw .notCustomFormat("archive version \(major).\(minor) is not one this dr reads (1.12 to 1.16)")
    }
    intSize = Int(try byte())
    offSize = Int(try byte())
    guard (1...8).contains(intSize), (1...16).contains(offSize) else {
      throw .notCustomFormat("integer size \(intSize), offset size \(offSize)")
    }
    guard try byte() == 1 else { throw .notCustomFormat("not the custom format") }
    // The compression algorithm (1.15 on), before it the zlib level (-1 is zlib's default).
    compressed = minor >= 15 ? try byte() != 0 : try int() != 0
    for _ in 0..<7 { _ = try int() }  // creation time
    for _ in 0..<3 { _ = try string() }  // database name, server and pg_dump versions
    return (major, minor)
  }

  mutating func entry(version: (major: UInt8, minor: UInt8)) throws(ArchiveTOC.ParseError) -> ArchiveTOC.Entry {
    let id = try int()
    _ = try int()  // had a data dumper
    _ = try string()  // catalog table OID
    _ = try string()  // OID
    let tag = try string() ?? ""
    let desc = try string() ?? ""
    let section = try int()
    for _ in 0..<3 { _ = try string() }  // definition, drop and copy statements
    let namespace = try string()
    _ = try string()  // tablespace
    _ = try string()  // table access method
    if version.minor >= 16 { _ = try int() }  // relkind
    let owner = try string()
    _ = try string()  // with OIDs
    var dependencies: [Int] = []
    while let dependency = try string() {
      if let number = Int(dependency) { dependencies.append(number) }
    }
    _ = try byte()  // data state
    for _ in 0..<offSize { _ = try byte() }  // data offset
    return .init(
      id: id, desc: desc, namespace: namespace.flatMap { $0.isEmpty ? nil : $0 }, tag: tag, owner: owner,
      section: section, dependencies: dependencies)
  }
}
