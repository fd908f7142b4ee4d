import Foundation

/// How a 256-bit key is written as text, in key files and in `${VAR}`s: 64 hex digits, or
/// standard base64 (with or without its padding), surrounding whitespace ignored.
public enum KeyText {
  public static let keySize = 32
  /// Shorter passphrases are refused for new backups: scrypt slows guessing down, it does
  /// not make a short passphrase strong.
  public static let minimumPassphraseLength = 8

  /// The key's 32 bytes, or nil when `text` is neither form.
  public static func decode(_ text: String) -> [UInt8]? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.count == 2 * keySize, let bytes = hex(trimmed) { return bytes }
    let padded = trimmed.count % 4 == 0 ? trimmed : trimmed + String(repeating: "=", count: 4 - trimmed.count % 4)
    guard let data = Data(base64Encoded: padded), data.count == keySize else { return nil }
    return Array(data)
  }

  /// The bytes of an even-length hex string, or nil.
  public static func hex(_ text: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    var high: UInt8?
    for character in text.utf8 {
      guard let digit = nibble(character) else { return nil }
      if let first = high {
        bytes.append(first << 4 | digit)
        high = nil
      } else {
        high = digit
      }
    }
    return high == nil ? bytes : nil
  }

  private static func nibble(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
