import DRTestSupport
import Testing

/// The expectations encryption tests share: no secret in what dr printed or stored.
extension EncryptionFixture {
  func expectNoSecret(in text: String, _ secrets: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in [keyText] + secrets {
      #expect(!text.contains(secret), "a secret was written out", sourceLocation: sourceLocation)
    }
  }

  /// Fails when any stored object holds one of `needles` (text, or the key's raw bytes).
  func expectBucketHolds(none needles: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let objects = try await bucketObjects()
    #expect(objects.count >= 3, sourceLocation: sourceLocation)
    for object in objects {
      for needle in needles where Self.contains(object.bytes, needle) {
        Issue.record("\(object.key) holds a secret or plaintext it must not", sourceLocation: sourceLocation)
      }
    }
  }
}
