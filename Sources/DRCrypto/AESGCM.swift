import CDROpenSSL

/// AES-256-GCM through OpenSSL's EVP interface, one message at a time: 12-byte nonce,
/// 16-byte tag appended to the ciphertext.
///
/// The `EVP_CIPHER_CTX` is owned by this class and freed in `deinit`. Not thread-safe: one
/// instance belongs to one thread at a time (each batch of segments makes its own).
public final class AESGCM: @unchecked Sendable {
  public static let nonceSize = 12
  public static let tagSize = 16

  private let context: OpaquePointer

  public init() {
    guard let context = EVP_CIPHER_CTX_new() else { fatalError("EVP_CIPHER_CTX_new: out of memory") }
    self.context = context
  }

  deinit { EVP_CIPHER_CTX_free(context) }

  /// Encrypts `plaintext` into `output`, which must hold `plaintext.count + 16` bytes:
  /// the ciphertext, then the tag.
  public func seal(
    key: SymmetricKey, nonce: [UInt8], aad: [UInt8], plaintext: UnsafeRawBufferPointer,
    into output: UnsafeMutableRawBufferPointer
  ) {
    precondition(output.count == plaintext.count + Self.tagSize, "seal: output must hold plaintext + tag")
    start(key: key, nonce: nonce, encrypt: true)
    authenticate(aad, encrypt: true)
    var written: Int32 = 0
    if plaintext.count > 0 {
      let ok = EVP_EncryptUpdate(
        context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
        plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(plaintext.count))
      precondition(ok == 1 && Int(written) == plaintext.count, "EVP_EncryptUpdate failed")
    }
    var tail: Int32 = 0
    precondition(EVP_EncryptFinal_ex(context, output.baseAddress! + plaintext.count, &tail) == 1, "GCM final failed")
    let tag = (output.baseAddress! + plaintext.count).assumingMemoryBound(to: UInt8.self)
    precondition(cdr_gcm_get_tag(context, tag, Int32(Self.tagSize)) == 1, "GCM tag failed")
  }

  /// Decrypts `sealed` (ciphertext then tag) into `output` (`sealed.count - 16` bytes) and
  /// returns whether the tag matched. When it did not, `output` holds garbage that the
  /// caller must discard; this function has already zeroed it.
  public func open(
    key: SymmetricKey, nonce: [UInt8], aad: [UInt8], sealed: UnsafeRawBufferPointer,
    into output: UnsafeMutableRawBufferPointer
  ) -> Bool {
    precondition(sealed.count >= Self.tagSize && output.count == sealed.count - Self.tagSize, "open: bad sizes")
    start(key: key, nonce: nonce, encrypt: false)
    authenticate(aad, encrypt: false)
    var written: Int32 = 0
    if output.count > 0 {
      let ok = EVP_DecryptUpdate(
        context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
        sealed.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(output.count))
      precondition(ok == 1 && Int(written) == output.count, "EVP_DecryptUpdate failed")
    }
    let tag = (sealed.baseAddress! + output.count).assumingMemoryBound(to: UInt8.self)
    precondition(cdr_gcm_set_tag(context, tag, Int32(Self.tagSize)) == 1, "GCM set tag failed")
    var tail: Int32 = 0
    var scratch = [UInt8](repeating: 0, count: 16)
    guard EVP_DecryptFinal_ex(context, &scratch, &tail) == 1 else {
      if output.count > 0 { OPENSSL_cleanse(output.baseAddress, output.count) }
      return false
    }
    return true
  }

  private func start(key: SymmetricKey, nonce: [UInt8], encrypt: Bool) {
    precondition(nonce.count == Self.nonceSize, "GCM nonces are 12 bytes here")
    let ok = key.withUnsafeBytes { keyBytes in
      EVP_CipherInit_ex(
        context, EVP_aes_256_gcm(), nil, keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), nonce,
        encrypt ? 1 : 0)
    }
    precondition(ok == 1, "EVP_CipherInit_ex(aes-256-gcm) failed")
  }

  private func authenticate(_ aad: [UInt8], encrypt: Bool) {
    guard !aad.isEmpty else { return }
    var written: Int32 = 0
    let ok =
      encrypt
      ? EVP_EncryptUpdate(context, nil, &written, aad, Int32(aad.count))
      : EVP_DecryptUpdate(context, nil, &written, aad, Int32(aad.count))
    precondition(ok == 1, "GCM additional data failed")
  }
}
