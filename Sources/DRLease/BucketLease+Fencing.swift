import DRCore
import DRS3
import Foundation
import Logging

extension BucketLease {
  /// How a conditional write ended.
  enum Outcome {
    /// Written; the new ETag.
    case written(String)
    /// The object is no longer the one expected (nil: it is gone): nothing was written.
    case changed(LeaseSnapshot?)
  }

  /// An ETag no lease can have, for the probe.
  static var probeETag: String { "00000000000000000000000000000000" }

  /// Writes `body` over the object while its ETag is `expected`: with `If-Match` in the
  /// form this storage takes, or by read, compare, write where it ignores or refuses it.
  func write(_ body: [UInt8], over expected: String) async throws -> Outcome {
    if case .ifMatch(let form) = fencing {
      switch try await object.write(body, over: expected, forms: IfMatchForm.order(preferring: form)) {
      case .written(let etag, let used):
        if used != form { fencing = .ifMatch(used) }
        return .written(try await known(etag))
      case .changed(let current):
        return .changed(current)
      case .refused:
        unfence("answers 412 to If-Match with the object's own ETag, quoted or not")
      }
    }
    switch try await object.writeUnfenced(body, over: expected) {
    case .written(let etag, _): return .written(try await known(etag))
    case .changed(let current): return .changed(current)
    case .refused: return .changed(nil)
    }
  }

  /// Checks once, after taking, that the storage honours `If-Match`: a write of our own
  /// record under an ETag it cannot have must answer 412. Success means the condition is
  /// ignored (renewals then read, compare and write); any other failure leaves the
  /// question for the next renewal.
  func probeFencing() async {
    guard case .ifMatch(let form) = fencing, !probed else { return }
    do {
      let etag = try await object.put(written, ifMatch: (form ?? .quoted).render(Self.probeETag))
      probed = true
      self.etag = try await known(etag)
      unfence("ignores If-Match (a write under an ETag the lease cannot have succeeded)")
    } catch let error as S3Error where error.status == 412 {
      probed = true
    } catch {
      logger.debug("could not probe If-Match at \(object.url): \(error); asked again at the next renewal")
    }
  }

  /// Read, compare, write from now on, said once.
  private func unfence(_ reason: String) {
    guard case .ifMatch = fencing else { return }
    fencing = .readCompareWrite(reason)
    let message =
      "the storage at \(object.client.endpoint.baseURL) \(reason): renewals of the lease \(object.url) are not "
      + "fenced there (read, compare, then write), so a holder that lost the lease could still re-assert it"
    logger.warning("\(message)")
  }

  /// `etag`, or the object's ETag read with HEAD when the answer carried none.
  private func known(_ etag: String) async throws -> String {
    etag.isEmpty ? try await object.currentETag() : etag
  }
}
