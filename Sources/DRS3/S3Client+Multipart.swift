import DRHTTP
import DRSigV4
import Foundation

extension S3Client {
  /// CreateMultipartUpload; returns the upload id. Not idempotent (a retry after the
  /// server got it leaves an orphan upload), so retried only when it never left.
  public func createMultipartUpload(bucket: String, key: String, options: S3PutOptions = S3PutOptions())
    async throws -> String
  {
    var call = S3Call(
      method: "POST", bucket: bucket, key: try Self.checked(key), query: [SigV4QueryItem("uploads", "")])
    call.headers = options.headers.map { SigV4Header($0.0, $0.1) }
    call.idempotent = false
    let document = try await sendForXML(call, expecting: "InitiateMultipartUploadResult")
    guard let uploadID = document.value("UploadId"), !uploadID.isEmpty else {
      throw S3Error(.malformedResponse(status: 200), operation: call.operation, message: "no UploadId in the answer")
    }
    return uploadID
  }

  /// UploadPart with the part in memory, its SHA-256 in the signature, and its MD5 in
  /// Content-MD5 where S3 requires it (`objectLock`: the upload was created with retention;
  /// see `S3Call.addContentMD5(ifRequired:)`); returns the part with its ETag.
  public func uploadPart(
    bucket: String, key: String, uploadID: String, number: Int, body: [UInt8], digests: BodyDigests? = nil,
    objectLock: Bool = false
  ) async throws -> S3Part {
    var call = S3Call(
      method: "PUT", bucket: bucket, key: key,
      query: [SigV4QueryItem("partNumber", String(number)), SigV4QueryItem("uploadId", uploadID)])
    call.body = body
    call.digests = digests
    call.addContentMD5(ifRequired: requiresContentMD5(bucket, objectLock: objectLock))
    let response = try await send(call)
    guard let etag = response.head.header("ETag") else {
      throw S3Error(
        .malformedResponse(status: response.status), operation: call.operation, message: "no ETag for the part")
    }
    return S3Part(number: number, etag: etag, size: Int64(body.count))
  }

  /// CompleteMultipartUpload; returns the object's ETag. The server may answer 200 with an
  /// error document (S3 does when it fails late); that is an error here.
  @discardableResult
  public func completeMultipartUpload(bucket: String, key: String, uploadID: String, parts: [S3Part]) async throws
    -> String
  {
    var call = S3Call(method: "POST", bucket: bucket, key: key, query: [SigV4QueryItem("uploadId", uploadID)])
    let items = parts.sorted { $0.number < $1.number }.map {
      "<Part>\(XMLWriter.element("PartNumber", String($0.number)))\(XMLWriter.element("ETag", $0.etag))</Part>"
    }
    call.body = Array("<CompleteMultipartUpload>\(items.joined())</CompleteMultipartUpload>".utf8)
    call.addContentMD5()
    let document: XMLElement
    do {
      // S3 may answer 200 with an error document when it fails late.
      document = try await sendForXML(call, expecting: "CompleteMultipartUploadResult", "Error")
    } catch let error as S3Error where error.code == "NoSuchUpload" {
      // A retry after the server completed it but its answer was lost: the object is there.
      guard let head = try await headObject(bucket: bucket, key: key), head.etag.hasSuffix("-\(parts.count)\"")
      else { throw error }
      return head.etag
    }
    if document.name == "Error" {
      throw S3Error(
        .server(status: 200, code: document.value("Code") ?? "InternalError"), operation: call.operation,
        message: document.value("Message") ?? "", requestID: document.value("RequestId"))
    }
    if let etag = document.value("ETag"), !etag.isEmpty { return etag }
    // Ceph RGW (16.2) answers with an empty <ETag/>: ask the object itself.
    return try await headObject(bucket: bucket, key: key)?.etag ?? ""
  }

  /// AbortMultipartUpload; an upload that is already gone counts as aborted.
  public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
    let call = S3Call(method: "DELETE", bucket: bucket, key: key, query: [SigV4QueryItem("uploadId", uploadID)])
    do {
      _ = try await send(call)
    } catch let error as S3Error where error.code == "NoSuchUpload" {
      return
    }
  }

  /// Uploads in progress under `prefix` (every page).
  public func listMultipartUploads(bucket: String, prefix: String = "") async throws -> [S3MultipartUpload] {
    var uploads: [S3MultipartUpload] = []
    var keyMarker: String?
    var idMarker: String?
    var pager = ListingPager(operation: "GET s3://\(bucket)/\(prefix) (uploads)")
    for _ in 0..<10_000 {
      var query = [SigV4QueryItem("uploads", ""), SigV4QueryItem("encoding-type", "url")]
      if !prefix.isEmpty { query.append(SigV4QueryItem("prefix", prefix)) }
      if let keyMarker { query.append(SigV4QueryItem("key-marker", keyMarker)) }
      if let idMarker { query.append(SigV4QueryItem("upload-id-marker", idMarker)) }
      let document = try await sendForXML(
        S3Call(method: "GET", bucket: bucket, query: query), expecting: "ListMultipartUploadsResult")
      let encoded = document.value("EncodingType") == "url"
      uploads += document.children("Upload").map {
        let key = $0.value("Key") ?? ""
        return S3MultipartUpload(
          key: encoded ? S3URLDecoding.decode(key) : key, uploadID: $0.value("UploadId") ?? "",
          initiated: S3Time.parse($0.value("Initiated")))
      }
      guard document.value("IsTruncated") == "true" else { return uploads }
      keyMarker = document.value("NextKeyMarker")
      idMarker = document.value("NextUploadIdMarker")
      try pager.check("\(keyMarker ?? "")\u{0}\(idMarker ?? "")")
    }
    return uploads
  }
}
