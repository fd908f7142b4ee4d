/// Timeouts and TLS settings for every transfer of one `HTTPClient`.
public struct HTTPClientConfiguration: Sendable {
  /// Seconds to wait for a TCP (and TLS) connection.
  public var connectTimeout: Int = 10
  /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds is
  /// abandoned as stalled (a dead peer that keeps the socket open).
  public var lowSpeedLimit: Int = 1
  public var lowSpeedTime: Int = 60
  /// TLS certificate verification; on unless explicitly turned off.
  public var verifyTLS: Bool = true
  /// A PEM bundle of CA certificates for private endpoints.
  public var caBundle: String?
  /// Hosts never reached through a proxy (libcurl's NO_PROXY syntax; "*" for all). Nil
  /// follows the environment (`no_proxy`).
  public var noProxy: String?
  /// Idle handles kept for connection reuse.
  public var maxIdleHandles: Int = 16
  /// A bandwidth cap, bytes per second, for all the client's bulk transfers together
  /// (`storage.max_rate`); nil for none. See `RateShares`.
  public var maxRate: Int64?
  /// How many bulk transfers share `maxRate` at once, each capped at `maxRate / rateSlots`.
  /// 2: a backup's upload keeps two parts in flight, so it uses the whole cap.
  public var rateSlots: Int = 2

  public init() {}
}
