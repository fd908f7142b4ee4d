import DRCore
import Foundation
import Synchronization

extension RateShares {
  /// Waits, on the transfer's own thread (a libcurl callback, never the cooperative pool),
  /// until `count` more bytes fit under the total: a token bucket shared by the client's
  /// transfers, holding at most a quarter second of bytes. libcurl's own caps average over
  /// time and let a short transfer through at full speed (measured on loopback: an 8 MiB
  /// range capped at 4 MiB/s came in 1 s), so the bucket is what holds the total; the caps
  /// smooth the traffic within it. Sleeps in slices, and stops waiting when `cancelled`.
  func pace(_ count: Int, cancelled: () -> Bool) {
    var wait = pacer.withLock { bucket in
      let now = ContinuousClock.now
      let elapsed = (now - bucket.last).seconds
      bucket.last = now
      bucket.tokens = min(Double(total) / 4, bucket.tokens + Double(total) * elapsed) - Double(count)
      return bucket.tokens >= 0 ? 0 : -bucket.tokens / Double(total)
    }
    while wait > 0, !cancelled() {
      let slice = min(wait, 0.1)
      Thread.sleep(forTimeInterval: slice)
      wait -= slice
    }
  }
}
