import DRCore
import DRS3
import Foundation

/// How `If-Match` carries an ETag. RFC 7232 and AWS S3 want it quoted (`"92eb…"`); Ceph
/// RGW 16.2 compares it with the bare ETag, so the quoted form of the right ETag fails
/// there (412) and only the bare one matches (checked on this machine's RGW).
public enum IfMatchForm: String, Sendable, CaseIterable {
  case quoted
  case bare

  /// `etag` (bare, as `LeaseSnapshot` keeps it) in this form.
  public func render(_ etag: String) -> String {
    switch self {
    case .quoted: "\"\(etag)\""
    case .bare: etag
    }
  }

  var other: IfMatchForm { self == .quoted ? .bare : .quoted }

  /// The forms to try, the one known to work first.
  static func order(preferring form: IfMatchForm?) -> [IfMatchForm] {
    let first = form ?? .quoted
    return [first, first.other]
  }
}

/// A lease object as read: its bytes and the ETag they had.
public struct LeaseSnapshot: Sendable, Equatable {
  public let bytes: [UInt8]
  /// Without quotes or a weak prefix: ETags from PUT, GET and HEAD compare as equal.
  public let etag: String
  public let lastModified: Date?

  /// An ETag as servers send it (`"…"`, `W/"…"`) without its decoration.
  public static func bare(_ etag: String) -> String {
    var text = Substring(etag.trimmingCharacters(in: .whitespaces))
    if text.hasPrefix("W/") { text = text.dropFirst(2) }
    if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
    return String(text)
  }
}

/// Where a lease lives in the bucket, and the requests it is made of: a create that fails
/// when the object exists, writes and deletes conditional on the ETag last seen.
public struct LeaseObject: Sendable {
  public let client: S3Client
  public let bucket: String
  public let key: String

  public init(client: S3Client, bucket: String, key: String) {
    self.client = client
    self.bucket = bucket
    self.key = key
  }

  /// `s3://bucket/key`, for messages.
  public var url: String { "s3://\(bucket)/\(key)" }

  /// How a write conditional on an ETag ended.
  enum Write: Sendable {
    /// Written; the new ETag, and the form of `If-Match` the server took.
    case written(etag: String, form: IfMatchForm?)
    /// The object is no longer the one expected (nil: it is gone).
    case changed(LeaseSnapshot?)
    /// Every form of the expected ETag answered 412 while the object still had it: the
    /// server does not implement `If-Match`.
    case refused
  }

  /// The object, or nil when there is none.
  public func read() async throws -> LeaseSnapshot? {
    let sink = CollectingSink()
    let head: S3ObjectHead
    do {
      head = try await client.getObject(bucket: bucket, key: key, into: sink)
    } catch let error as S3Error where error.status == 404 {
      return nil
    }
    return LeaseSnapshot(bytes: sink.bytes, etag: LeaseSnapshot.bare(head.etag), lastModified: head.lastModified)
  }

  /// PUT with `If-None-Match: *`: the new ETag (empty when the server sent none), or nil
  /// when an object is there already.
  func create(_ body: [UInt8]) async throws -> String? {
    do {
      let etag = try await client.putObject(
        bucket: bucket, key: key, body: body, options: S3PutOptions(contentType: "application/json", ifNoneMatch: true))
      return LeaseSnapshot.bare(etag)
    } catch let error as S3Error where error.status == 412 {
      return nil
    }
  }

  /// PUT, with `If-Match: condition` when given; the new ETag (empty when none was sent).
  func put(_ body: [UInt8], ifMatch condition: String?) async throws -> String {
    let etag = try await client.putObject(
      bucket: bucket, key: key, body: body, options: S3PutOptions(contentType: "application/json", ifMatch: condition))
    return LeaseSnapshot.bare(etag)
  }

  /// Writes `body` over the object only while its ETag is `expected`, trying `forms` of
  /// it in turn. A 412 is looked into: the object changed (someone else wrote or deleted
  /// it), or it did not and the server refused that form. A 412 whose object holds `body`
  /// is our own write whose answer was lost (and retried): written.
  func write(_ body: [UInt8], over expected: String, forms: [IfMatchForm]) async throws -> Write {
    for form in forms {
      do {
        return .written(etag: try await put(body, ifMatch: form.render(expected)), form: form)
      } catch let error as S3Error where error.status == 412 {
        let current = try await read()
        guard let current, current.etag == expected else {
          if let current, current.bytes == body { return .written(etag: current.etag, form: form) }
          return .changed(current)
        }
      }
    }
    return .refused
  }

  /// Read, compare, write: for a server that does not implement `If-Match`. Another writer
  /// between the read and the write is not noticed.
  func writeUnfenced(_ body: [UInt8], over expected: String) async throws -> Write {
    let current = try await read()
    guard let current, current.etag == expected || current.bytes == body else { return .changed(current) }
    return .written(etag: try await put(body, ifMatch: nil), form: nil)
  }

  /// Deletes the object while its ETag is `etag`: `If-Match` in the preferred form, then
  /// the other when the object did not change (`fenced: false` sends none). True when
  /// deleted. Ceph RGW 16 ignores `If-Match` on DELETE: there, only the read before it
  /// stands between the delete and a new holder's lease.
  func delete(ifStill etag: String, preferring form: IfMatchForm?, fenced: Bool = true) async throws -> Bool {
    guard fenced else {
      try await client.deleteObject(bucket: bucket, key: key)
      return true
    }
    for form in IfMatchForm.order(preferring: form) {
      do {
        try await client.deleteObject(bucket: bucket, key: key, ifMatch: form.render(etag))
        return true
      } catch let error as S3Error where error.status == 412 {
        guard try await read()?.etag == etag else { return false }
      }
    }
    return false
  }

  /// The ETag of the object now (when a PUT's answer carried none).
  func currentETag() async throws -> String {
    LeaseSnapshot.bare(try await client.headObject(bucket: bucket, key: key)?.etag ?? "")
  }
}
