import DRCrypto
import DRSigV4
import Foundation

extension S3Client {
  /// CreateBucket; an existing bucket of ours is fine. Outside us-east-1 the region goes in
  /// the LocationConstraint.
  public func createBucket(_ bucket: String) async throws {
    var call = S3Call(method: "PUT", bucket: bucket)
    if endpoint.region != "us-east-1" {
      call.body = Array(
        "<CreateBucketConfiguration>\(XMLWriter.element("LocationConstraint", endpoint.region))</CreateBucketConfiguration>"
          .utf8)
    }
    do {
      _ = try await send(call)
    } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" {
      return
    }
  }

  /// DeleteBucket (it must be empty). NoSuchBucket to a retry, after an attempt whose
  /// answer was lost, is that attempt's success; to the first attempt it is an error.
  public func deleteBucket(_ bucket: String) async throws {
    do {
      _ = try await send(S3Call(method: "DELETE", bucket: bucket))
    } catch let error as S3Error where error.code == "NoSuchBucket" && error.attempt > 1 {
      return
    }
  }

  /// DeleteObjects, 1000 keys a request; returns the keys that could not be deleted with why.
  public func deleteObjects(bucket: String, keys: [String]) async throws -> [(key: String, reason: String)] {
    var failures: [(key: String, reason: String)] = []
    for start in stride(from: 0, to: keys.count, by: 1000) {
      let batch = keys[start..<min(start + 1000, keys.count)]
      var call = S3Call(method: "POST", bucket: bucket, query: [SigV4QueryItem("delete", "")])
      let objects = try batch.map { key throws(S3Error) in
        "<Object>\(XMLWriter.element("Key", try Self.checked(key)))</Object>"
      }
      call.body = Array("<Delete><Quiet>true</Quiet>\(objects.joined())</Delete>".utf8)
      call.addContentMD5()
      let document = try await sendForXML(call, expecting: "DeleteResult")
      failures += document.children("Error").map {
        (key: $0.value("Key") ?? "", reason: "\($0.value("Code") ?? "") \($0.value("Message") ?? "")")
      }
    }
    return failures
  }
}

extension S3Client {
  /// ListBuckets: the names of the buckets these credentials own.
  public func listBuckets() async throws -> [(name: String, created: Date?)] {
    let document = try await sendForXML(S3Call(method: "GET", bucket: nil), expecting: "ListAllMyBucketsResult")
    return (document.child("Buckets")?.children("Bucket") ?? []).map {
      (name: $0.value("Name") ?? "", created: S3Time.parse($0.value("CreationDate")))
    }
  }
}

extension S3Client {
  /// PutBucketPolicy: a JSON policy document, e.g. to let the spare credentials read.
  public func putBucketPolicy(_ bucket: String, policy: String) async throws {
    var call = S3Call(method: "PUT", bucket: bucket, query: [SigV4QueryItem("policy", "")])
    call.body = Array(policy.utf8)
    call.addContentMD5()
    _ = try await send(call)
  }
}
