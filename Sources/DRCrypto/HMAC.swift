import CDROpenSSL
import FoundationEssentials

public enum HMAC {
  /// HMAC-SHA256 of `message` under `key` (OpenSSL's one-shot `HMAC()`).
  public static func sha256<Key: ContiguousBytes, Message: ContiguousBytes>(
    key: Key, message: Message
  ) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let result = key.withUnsafeBytes { keyBytes in
      message.withUnsafeBytes { messageBytes in
        CDROpenSSL.HMAC(
          EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
          messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
          &out, &length)
      }
    }
    precondition(result != nil, "HMAC(sha256) failed")
    return Array(out.prefix(Int(length)))
  }

  public static func sha256<Key: ContiguousBytes>(key: Key, message: String) -> [UInt8] {
    sha256(key: key, message: Array(message.utf8))
  }
}
