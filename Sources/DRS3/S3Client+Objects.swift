import DRCore
import DRCrypto
import DRHTTP
import DRSigV4
import Foundation

extension S3Client {
  /// PutObject with the body in memory; returns the ETag (empty when the server sent none).
  /// `options.ifNoneMatch` and `options.ifMatch` make it conditional; a failed condition
  /// is `S3Error` with status 412. The conditions are signed like every other header.
  @discardableResult
  public func putObject(
    bucket: String, key: String, body: [UInt8], options: S3PutOptions = S3PutOptions(), digests: BodyDigests? = nil
  ) async throws -> String {
    var call = S3Call(method: "PUT", bucket: bucket, key: try Self.checked(key))
    call.body = body
    call.digests = digests
    call.headers = options.headers.map { SigV4Header($0.0, $0.1) }
    if options.ifNoneMatch { call.headers.append(SigV4Header("If-None-Match", "*")) }
    if let ifMatch = options.ifMatch { call.headers.append(SigV4Header("If-Match", ifMatch)) }
    call.addContentMD5(ifRequired: requiresContentMD5(bucket, objectLock: options.objectLock != nil))
    let response = try await send(call)
    return response.head.header("ETag") ?? ""
  }

  /// GetObject streamed into `sink` (a byte range when given, inclusive). A transfer cut
  /// off midway resumes from the last byte received, pinned to the same object version
  /// by its ETag, within the retry budget.
  @discardableResult
  public func getObject(
    bucket: String, key: String, range: ClosedRange<Int64>? = nil, into sink: any HTTPResponseSink
  ) async throws -> S3ObjectHead {
    let counting = CountingSink(sink)
    var etag: String?
    var attempt = 0
    let started = ContinuousClock.now
    while true {
      attempt += 1
      var call = S3Call(method: "GET", bucket: bucket, key: try Self.checked(key))
      let start = (range?.lowerBound ?? 0) + counting.count
      if range != nil || counting.count > 0 {
        call.headers.append(SigV4Header("Range", "bytes=\(start)-\(range.map { String($0.upperBound) } ?? "")"))
      }
      if let etag { call.headers.append(SigV4Header("If-Match", etag)) }
      do {
        let response = try await sendOnce(call, sink: counting)
        return Self.head(from: response.head)
      } catch let error as S3Error {
        if etag == nil { etag = counting.etag }
        guard RetryPolicy.isRetryable(error, idempotent: true),
          retry.allowsRetry(afterAttempts: attempt, elapsed: (ContinuousClock.now - started).seconds)
        else { throw error }
        try await Task.sleep(for: .seconds(retry.delay(beforeRetry: attempt, random: Double.random(in: 0..<1))))
      }
    }
  }

  /// A whole small object in memory (manifests, records).
  public func getObjectBytes(bucket: String, key: String) async throws -> [UInt8] {
    let sink = CollectingSink()
    try await getObject(bucket: bucket, key: key, into: sink)
    return sink.bytes
  }

  /// HeadObject; nil when there is no such object.
  public func headObject(bucket: String, key: String) async throws -> S3ObjectHead? {
    do {
      let response = try await send(S3Call(method: "HEAD", bucket: bucket, key: try Self.checked(key)))
      return Self.head(from: response.head)
    } catch let error as S3Error where error.status == 404 {
      return nil
    }
  }

  /// DeleteObject (deleting a missing key succeeds, as in S3). With `ifMatch`, only the
  /// object of that ETag is deleted where the server honours the condition (AWS does, 412
  /// otherwise; Ceph RGW 16 ignores it and deletes whatever is there).
  public func deleteObject(bucket: String, key: String, ifMatch: String? = nil) async throws {
    var call = S3Call(method: "DELETE", bucket: bucket, key: try Self.checked(key))
    if let ifMatch { call.headers.append(SigV4Header("If-Match", ifMatch)) }
    _ = try await send(call)
  }

  static func head(from head: HTTPResponseHead) -> S3ObjectHead {
    var metadata: [String: String] = [:]
    for (name, value) in head.headers where name.lowercased().hasPrefix("x-amz-meta-") {
      metadata[String(name.lowercased().dropFirst(11))] = value
    }
    let length = head.header("Content-Range").flatMap { $0.split(separator: "/").last }.flatMap { Int64($0) }
    return S3ObjectHead(
      size: length ?? Int64(head.header("Content-Length") ?? "") ?? 0, etag: head.header("ETag") ?? "",
      lastModified: head.header("Last-Modified").flatMap(HTTPDate.parse),
      storageClass: head.header("x-amz-storage-class"), metadata: metadata,
      lockRetainUntil: head.header("x-amz-object-lock-retain-until-date").flatMap(Self.lockDate),
      lockMode: head.header("x-amz-object-lock-mode"), versionID: head.header("x-amz-version-id"))
  }

  /// S3 keys are 1 to 1024 bytes of UTF-8; dr also refuses control characters, which XML
  /// requests (DeleteObjects) cannot carry.
  static func checked(_ key: String) throws(S3Error) -> String {
    guard !key.isEmpty, key.utf8.count <= 1024 else {
      throw S3Error(.invalidRequest, operation: "key", message: "an object key must be 1 to 1024 bytes")
    }
    guard !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
      throw S3Error(.invalidRequest, operation: "key", message: "an object key must not contain control characters")
    }
    return key
  }
}

extension S3Client {
  /// An Object Lock date as servers send it: ISO 8601, with or without fractions.
  static func lockDate(_ text: String) -> Date? {
    (try? Date(text, strategy: .iso8601))
      ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
  }
}
