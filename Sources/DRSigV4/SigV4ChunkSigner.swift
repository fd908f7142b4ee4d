import DRCrypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Signs the chunks of an S3 streaming upload (`Content-Encoding: aws-chunked`,
/// `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD`), each signature chained to the previous.
///
/// Sign the request with `payload: .streaming` and the headers `Content-Encoding: aws-chunked`,
/// `x-amz-decoded-content-length` (the object size) and `Content-Length` (see ``encodedLength(payloadLength:chunkSize:)``),
/// make a chunk signer from that seed, frame every chunk in order, then ``finalFrame()``.
public struct SigV4ChunkSigner: Sendable {
  /// The signature the next chunk is chained to: the seed first, then each chunk's.
  public private(set) var previousSignature: String
  /// True once the final, empty chunk has been signed.
  public private(set) var isFinished = false
  let timestamp: SigV4Timestamp
  let key: SigV4SigningKey

  /// Starts the chain at a header signature made with ``SigV4Payload/streaming``.
  public init(seed: SigV4HeaderSignature) throws(SigV4Error) {
    guard seed.canonicalRequest.payloadHash == SigV4.streamingPayload else { throw .notStreaming }
    previousSignature = seed.signature
    timestamp = seed.timestamp
    key = seed.signingKey
  }

  /// The string to sign of a chunk whose data hashes to `chunkHash` (hex SHA-256).
  public func stringToSign(chunkHash: String) -> String {
    [
      SigV4.chunkAlgorithm, timestamp.amzDate, key.scope.string, previousSignature, SigV4.emptyPayloadHash, chunkHash,
    ].joined(separator: "\n")
  }

  /// Signs the next chunk and chains to it. An empty chunk is the final one; nothing may follow it.
  public mutating func signature<Bytes: ContiguousBytes>(forChunk chunk: Bytes) throws(SigV4Error) -> String {
    guard !isFinished else { throw .chunkAfterFinalChunk }
    let stringToSign = stringToSign(chunkHash: Digest.sha256(chunk).hex)
    previousSignature = HMAC.sha256(key: key.bytes, message: stringToSign).hex
    isFinished = chunk.withUnsafeBytes { $0.isEmpty }
    return previousSignature
  }

  /// Signs `chunk` and returns it framed: `hex(size);chunk-signature=<signature>\r\n<data>\r\n`.
  public mutating func frame(_ chunk: [UInt8]) throws(SigV4Error) -> [UInt8] {
    let signature = try signature(forChunk: chunk)
    return Array(Self.frameHeader(size: chunk.count, signature: signature).utf8) + chunk + Self.crlf
  }

  /// The framed final chunk (no data), which ends the body.
  public mutating func finalFrame() throws(SigV4Error) -> [UInt8] {
    try frame([])
  }

  /// `hex(size);chunk-signature=<signature>\r\n`, the line before a chunk's data.
  public static func frameHeader(size: Int, signature: String) -> String {
    String(size, radix: 16) + ";chunk-signature=" + signature + "\r\n"
  }

  /// The `Content-Length` of an `aws-chunked` body: `payloadLength` bytes cut into `chunkSize`
  /// chunks (the last one shorter), each framed, plus the final empty chunk.
  public static func encodedLength(payloadLength: Int, chunkSize: Int) -> Int {
    precondition(payloadLength >= 0 && chunkSize > 0, "payloadLength must be >= 0 and chunkSize > 0")
    let (fullChunks, remainder) = payloadLength.quotientAndRemainder(dividingBy: chunkSize)
    let full = fullChunks * framedLength(chunkSize)
    return full + (remainder > 0 ? framedLength(remainder) : 0) + framedLength(0)
  }

  private static func framedLength(_ size: Int) -> Int {
    let signatureLength = 64
    return frameHeader(size: size, signature: String(repeating: "0", count: signatureLength)).utf8.count + size + 2
  }

  private static let crlf: [UInt8] = [0x0d, 0x0a]
}
