import DRCore
import Testing

@testable import DRCompression

/// The serial decoder's own loop, at the edges a large piece size hides: output full
/// exactly when the input runs out, one byte of input at a time.
struct ZstdStreamDecoderTests {
  static func decodeByteByByte(_ compressed: [UInt8], limit: Int) throws -> [UInt8] {
    let decoder = ZstdStreamDecoder()
    let account = ByteAccount()
    let stop = StopFlag()
    var output: [UInt8] = []
    for byte in compressed {
      var (bytes, more) = try decoder.decode(
        AccountedBytes([byte], in: account, side: .input), limit: limit, stop: stop)
      output += bytes
      var rounds = 0
      while more, rounds < 1_000_000 {
        (bytes, more) = try decoder.decode(nil, limit: limit, stop: stop)
        #expect(bytes.count <= limit)
        output += bytes
        rounds += 1
      }
    }
    _ = try decoder.end()
    #expect(account.current.total == 0)
    return output
  }

  @Test(arguments: [1, 7, 4096])
  func tinyPiecesAndOneByteWritesDecodeExactly(limit: Int) async throws {
    let input = TestData.text(20_000) + TestData.runs(20_000)
    let compressed = try await Tool.run(["zstd", "-c"], input: input)
    #expect(try Self.decodeByteByByte(compressed + compressed, limit: limit) == input + input)
  }
}
