/// The headers of a canonical request: lowercase names, values trimmed with inner runs of whitespace
/// (folded lines included) collapsed to one space, repeated names joined with `,` in the order sent,
/// sorted by name.
public struct SigV4CanonicalHeaders: Sendable, Equatable {
  /// One entry per distinct lowercase name, sorted.
  public let entries: [SigV4Header]

  public init(_ headers: [SigV4Header]) {
    var order: [String] = []
    var values: [String: [String]] = [:]
    for header in headers {
      let name = header.name.lowercased()
      if values[name] == nil { order.append(name) }
      values[name, default: []].append(Self.canonicalValue(header.value))
    }
    entries = order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      .map { SigV4Header($0, values[$0, default: []].joined(separator: ",")) }
  }

  /// `name;name;...`, for `SignedHeaders`.
  public var signedHeaders: String { entries.map(\.name).joined(separator: ";") }

  /// `name:value\n` for each entry: the canonical request's header block.
  public var text: String { entries.map { "\($0.name):\($0.value)\n" }.joined() }

  /// Trims spaces, tabs, CR and LF at both ends and turns every inner run of them into one space.
  static func canonicalValue(_ value: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(value.utf8.count)
    var pendingSpace = false
    for byte in value.utf8 {
      if byte == 0x20 || byte == 0x09 || byte == 0x0d || byte == 0x0a {
        pendingSpace = !out.isEmpty
        continue
      }
      if pendingSpace { out.append(0x20) }
      pendingSpace = false
      out.append(byte)
    }
    return String(decoding: out, as: UTF8.self)
  }
}
