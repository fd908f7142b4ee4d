import DRSigV4
import Foundation
import Testing

/// AWS's worked example "Signature Calculations for the Authorization Header: Transferring Payload in
/// Multiple Chunks (Chunked Upload)": 66560 bytes of `a` PUT to examplebucket/chunkObject.txt in
/// 64 KiB chunks. Every published value is recomputed and compared.
@Suite struct ChunkedUploadTests {
  static let seedCanonicalRequest = """
    PUT
    /examplebucket/chunkObject.txt

    content-encoding:aws-chunked
    content-length:66824
    host:s3.amazonaws.com
    x-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-PAYLOAD
    x-amz-date:20130524T000000Z
    x-amz-decoded-content-length:66560
    x-amz-storage-class:REDUCED_REDUNDANCY

    content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class
    STREAMING-AWS4-HMAC-SHA256-PAYLOAD
    """
  static let seedStringToSign = """
    AWS4-HMAC-SHA256
    20130524T000000Z
    20130524/us-east-1/s3/aws4_request
    cee3fed04b70f867d036f722359b0b1f2f0e5dc0efadbc082b76c4c60e316455
    """
  static let seedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
  static let chunkSignatures = [
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
  ]
  static let firstChunkStringToSign = """
    AWS4-HMAC-SHA256-PAYLOAD
    20130524T000000Z
    20130524/us-east-1/s3/aws4_request
    4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9
    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a
    """
  static let chunks = [[UInt8](repeating: 0x61, count: 65_536), [UInt8](repeating: 0x61, count: 1_024), []]

  static func seed() throws -> SigV4HeaderSignature {
    let headers = [
      SigV4Header("Host", "s3.amazonaws.com"), SigV4Header("x-amz-storage-class", "REDUCED_REDUNDANCY"),
      SigV4Header("Content-Encoding", "aws-chunked"), SigV4Header("x-amz-decoded-content-length", "66560"),
      SigV4Header("Content-Length", "66824"),
    ]
    let request = SigV4Request(method: "PUT", path: "/examplebucket/chunkObject.txt", headers: headers)
    return try S3SigningTests.signer.signHeaders(request, payload: .streaming, date: S3SigningTests.date)
  }

  @Test func seedStages() throws {
    let seed = try Self.seed()
    #expect(seed.canonicalRequest.text == Self.seedCanonicalRequest)
    #expect(seed.stringToSign == Self.seedStringToSign)
    #expect(seed.signature == Self.seedSignature)
    #expect(seed.headers.first { $0.name == "x-amz-content-sha256" }?.value == SigV4.streamingPayload)
  }

  @Test func chunkSignaturesChainFromTheSeed() throws {
    var signer = try SigV4ChunkSigner(seed: Self.seed())
    #expect(
      signer.stringToSign(chunkHash: "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a")
        == Self.firstChunkStringToSign)
    var signatures: [String] = []
    for chunk in Self.chunks { signatures.append(try signer.signature(forChunk: chunk)) }
    #expect(signatures == Self.chunkSignatures)
    #expect(signer.isFinished)
  }

  @Test func framedBodyMatchesTheDocumentedLayout() throws {
    var signer = try SigV4ChunkSigner(seed: Self.seed())
    let body = try signer.frame(Self.chunks[0]) + signer.frame(Self.chunks[1]) + signer.finalFrame()
    var expected = Array("10000;chunk-signature=\(Self.chunkSignatures[0])\r\n".utf8) + Self.chunks[0]
    expected += Array("\r\n400;chunk-signature=\(Self.chunkSignatures[1])\r\n".utf8) + Self.chunks[1]
    expected += Array("\r\n0;chunk-signature=\(Self.chunkSignatures[2])\r\n\r\n".utf8)
    #expect(body == expected)
    #expect(body.count == 66_824)
    #expect(SigV4ChunkSigner.encodedLength(payloadLength: 66_560, chunkSize: 65_536) == 66_824)
  }

  @Test func nothingMayFollowTheFinalChunk() throws {
    var signer = try SigV4ChunkSigner(seed: Self.seed())
    _ = try signer.finalFrame()
    #expect(throws: SigV4Error.chunkAfterFinalChunk) { try signer.frame([0x61]) }
  }

  @Test func seedMustBeStreaming() throws {
    let request = SigV4Request(method: "PUT", path: "/b/k", headers: [S3SigningTests.host])
    let seed = try S3SigningTests.signer.signHeaders(request, payload: .unsigned, date: S3SigningTests.date)
    #expect(throws: SigV4Error.notStreaming) { try SigV4ChunkSigner(seed: seed) }
  }

  @Test func encodedLengthOfEmptyAndExactMultiples() {
    #expect(SigV4ChunkSigner.encodedLength(payloadLength: 0, chunkSize: 65_536) == 86)
    #expect(SigV4ChunkSigner.encodedLength(payloadLength: 131_072, chunkSize: 65_536) == 2 * 65_626 + 86)
  }
}
