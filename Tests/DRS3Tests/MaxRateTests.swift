import DRHTTP
import DRS3
import DRTestSupport
import Foundation
import Testing

/// `storage.max_rate`: the libcurl speed cap each transfer gets is the total divided among
/// the transfers that may run at once, so their sum holds the cap. Rates are not timed here
/// (that would be a timing assertion; `scripts/bench` measures them): the caps set are.
struct MaxRateTests {
  static func client(rate: Int64?, slots: Int = 2) -> HTTPClient {
    var configuration = HTTPClientConfiguration()
    configuration.maxRate = rate
    configuration.rateSlots = slots
    return HTTPClient(configuration: configuration)
  }

  static let caps: [(Int64, Int)] = [(50 * 1_048_576, 2), (10_000_000, 4), (3_000, 7), (1_024, 1)]

  @Test(arguments: caps)
  func eachBulkTransferGetsItsShare(_ rate: Int64, _ slots: Int) throws {
    let client = Self.client(rate: rate, slots: slots)
    let share = try #require(client.speedLimit(bodyLength: 8 << 20, streamsResponse: false))
    #expect(share == rate / Int64(slots))
    #expect(share * Int64(slots) <= rate)
    #expect(client.speedLimit(bodyLength: 0, streamsResponse: true) == share)
    #expect(client.rateShares?.slots == slots)
  }

  @Test func smallRequestsAndUncappedClientsAreNotLimited() {
    #expect(Self.client(rate: 1 << 20).speedLimit(bodyLength: 4_096, streamsResponse: false) == nil)
    #expect(Self.client(rate: nil).speedLimit(bodyLength: 8 << 20, streamsResponse: true) == nil)
    #expect(Self.client(rate: nil).rateShares == nil)
  }

  /// A capped client still moves whole objects, up and down, through the real RGW (the cap
  /// is high enough not to slow the test; only correctness is asserted).
  @Test func aCappedClientUploadsAndDownloadsIntact() async throws {
    var configuration = HTTPClientConfiguration()
    configuration.maxRate = 512 << 20
    let client = try TestS3.client(http: configuration)
    try await TestS3.withBucket(client, "rate") { (bucket: String) async throws -> Void in
      let body = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
      try await client.putObject(bucket: bucket, key: "capped", body: body)
      var fetched: [UInt8] = []
      try await ParallelDownloader(client: client, partSize: 1 << 20, partsInFlight: 4).download(
        bucket: bucket, key: "capped"
      ) { fetched += $0 }
      #expect(fetched == body)
    }
  }
}
