import Foundation

/// One object of a listing.
public struct S3Object: Sendable, Equatable {
  public let key: String
  public let size: Int64
  public let etag: String
  public let lastModified: Date?
  public let storageClass: String?
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable {
  public let objects: [S3Object]
  /// Prefixes rolled up by the delimiter (`dir/`), when one was given.
  public let commonPrefixes: [String]
  /// Pass back to get the next page; nil on the last page.
  public let continuationToken: String?
}

/// What HEAD (or a GET's headers) says about an object.
public struct S3ObjectHead: Sendable, Equatable {
  public let size: Int64
  public let etag: String
  public let lastModified: Date?
  public let storageClass: String?
  public let metadata: [String: String]
  /// Object Lock retention: until when this version cannot be deleted (nil: none).
  public var lockRetainUntil: Date? = nil
  /// `GOVERNANCE` or `COMPLIANCE`, with `lockRetainUntil`.
  public var lockMode: String? = nil
  /// The version this HEAD answered for, in a versioned bucket.
  public var versionID: String? = nil
}

/// S3 Object Lock retention for a new object version: until `retainUntil` no one can
/// delete or overwrite it (`COMPLIANCE`), or only with the bypass permission
/// (`GOVERNANCE`). The bucket must have been created with Object Lock enabled.
public struct S3ObjectLock: Sendable, Equatable {
  public enum Mode: String, Sendable {
    case governance = "GOVERNANCE"
    case compliance = "COMPLIANCE"
  }

  public var mode: Mode
  public var retainUntil: Date

  public init(mode: Mode, retainUntil: Date) {
    self.mode = mode
    self.retainUntil = retainUntil
  }
}

/// Options of an object being written.
public struct S3PutOptions: Sendable, Equatable {
  public enum ServerSideEncryption: Sendable, Equatable {
    case aes256
    case kms(keyID: String?)
  }

  public var contentType: String?
  public var storageClass: String?
  public var serverSideEncryption: ServerSideEncryption?
  /// `x-amz-meta-*` headers.
  public var metadata: [String: String]
  /// Refuse to overwrite an existing object (`If-None-Match: *`), where the server supports it.
  public var ifNoneMatch: Bool
  /// Write only over the object whose ETag this is (`If-Match`), sent as given: AWS wants
  /// the quoted RFC 7232 form, Ceph RGW 16 the bare one.
  public var ifMatch: String? = nil
  /// Object Lock retention of the new version.
  public var objectLock: S3ObjectLock? = nil

  public init(
    contentType: String? = nil, storageClass: String? = nil, serverSideEncryption: ServerSideEncryption? = nil,
    metadata: [String: String] = [:], ifNoneMatch: Bool = false, ifMatch: String? = nil,
    objectLock: S3ObjectLock? = nil
  ) {
    self.objectLock = objectLock
    self.ifMatch = ifMatch
    self.contentType = contentType
    self.storageClass = storageClass
    self.serverSideEncryption = serverSideEncryption
    self.metadata = metadata
    self.ifNoneMatch = ifNoneMatch
  }

  /// Headers for PutObject and CreateMultipartUpload.
  var headers: [(String, String)] {
    var headers: [(String, String)] = []
    if let contentType { headers.append(("Content-Type", contentType)) }
    if let storageClass { headers.append(("x-amz-storage-class", storageClass)) }
    switch serverSideEncryption {
    case .aes256: headers.append(("x-amz-server-side-encryption", "AES256"))
    case .kms(let keyID):
      headers.append(("x-amz-server-side-encryption", "aws:kms"))
      if let keyID { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID)) }
    case nil: break
    }
    for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-amz-meta-\(name)", value)) }
    if let objectLock {
      headers.append(("x-amz-object-lock-mode", objectLock.mode.rawValue))
      headers.append(
        ("x-amz-object-lock-retain-until-date", objectLock.retainUntil.formatted(Date.ISO8601FormatStyle())))
    }
    return headers
  }
}

/// An upload in progress, from ListMultipartUploads.
public struct S3MultipartUpload: Sendable, Equatable {
  public let key: String
  public let uploadID: String
  public let initiated: Date?
}

/// A part of a multipart upload: its number and the ETag the server gave it.
public struct S3Part: Sendable, Equatable {
  public let number: Int
  public let etag: String
  public let size: Int64

  public init(number: Int, etag: String, size: Int64 = 0) {
    self.number = number
    self.etag = etag
    self.size = size
  }
}

enum S3Time {
  /// S3's timestamps: ISO 8601 with or without fractional seconds.
  static func parse(_ text: String?) -> Date? {
    guard let text else { return nil }
    return (try? Date(text, strategy: .iso8601))
      ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
  }
}
