import DRCore
import Foundation
import Logging

extension BucketLease {
  /// Stops renewing and deletes the lease if it is still ours: it is read, and deleted
  /// only when it is what we last wrote (its ETag, or the bytes of a renewal whose answer
  /// was lost), with `If-Match` on that ETag. A lost lease is left alone. True when deleted.
  ///
  /// The race left: between the read and the DELETE, another taker may replace the lease
  /// (possible only once ours looks abandoned: expired, or our process gone). AWS honours
  /// `If-Match` on DELETE and refuses (412), keeping their lease; Ceph RGW 16 ignores it
  /// and would delete theirs, which they then find lost at their next renewal. The window
  /// is one request long.
  @discardableResult
  public func release() async -> Bool {
    await stopRenewing()
    guard case .held = state else { return false }
    state = .ended
    do {
      guard let current = try await object.read() else { return false }
      guard current.etag == etag || current.bytes == written || current.bytes == pending else {
        logger.warning("the lease \(object.url) is no longer ours; it is left as it is")
        return false
      }
      switch fencing {
      case .ifMatch(let form): return try await object.delete(ifStill: current.etag, preferring: form)
      case .readCompareWrite: return try await object.delete(ifStill: current.etag, preferring: nil, fenced: false)
      }
    } catch {
      logger.warning(
        "could not release the lease \(object.url): \(error); it expires at \(confirmedExpiry.formatted(.iso8601))")
      return false
    }
  }

  /// Stops renewing and leaves the lease to expire, as a holder that dies does.
  public func abandon() async {
    await stopRenewing()
    if case .held = state { state = .ended }
  }

  func stopRenewing() async {
    guard let renewal else { return }
    self.renewal = nil
    renewal.cancel()
    await renewal.value
  }
}
