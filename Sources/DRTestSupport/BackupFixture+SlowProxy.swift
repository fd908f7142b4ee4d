extension BackupFixture {
  /// bzip2 at level 1: backups of the large database (and the ones after a fault) stay quick.
  public static let quickCompression = "{codec: bzip2, level: 1, threads: 2}"

  /// A large fixture (about 130 MB of barely compressible rows, far more than dr buffers)
  /// whose storage is reached through a fault proxy passing `bandwidth` bytes/s: a backup
  /// lasts minutes, long enough to be interrupted midway. Tests lift the limit once they
  /// have, and stop the proxy.
  public static func behindSlowProxy(
    _ label: String, bandwidth: Int = 100_000, compression: String? = quickCompression
  ) async throws -> (BackupFixture, FaultProxy) {
    let proxy = try FaultProxy(upstream: try TestServices.s3Endpoint())
    proxy.bandwidthLimit = bandwidth
    do {
      let fixture = try await make(label, large: true, endpoint: proxy.endpoint, compression: compression)
      return (fixture, proxy)
    } catch {
      proxy.stop()
      throw error
    }
  }
}
