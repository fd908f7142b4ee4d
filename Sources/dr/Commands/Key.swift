import ArgumentParser
import DRBackup
import DRCore
import DRPolicy
import Foundation

/// `dr key`: key files for client-side encryption.
struct Key: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Encryption keys: dr key generate writes a new random key file.",
    subcommands: [KeyGenerate.self])

  @OptionGroup var global: GlobalOptions
}

struct KeyGenerate: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Write a new random 256-bit key to a file (mode 0600) and print its key ID, never the key.",
    discussion: """
      The file holds 64 hex digits and a newline. An existing file is never overwritten: the
      backups made with a key cannot be restored without it. Without --output, the key goes to
      the policy's backup.encryption.key_file. Keep a copy apart from the bucket.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "Where to write the key (default: the policy's backup.encryption.key_file).")
  var output: String?

  func run() async throws {
    let path = try output ?? policyKeyFile()
    let keyID = try KeyFile.generate(at: path)
    if global.json { return try Output.json(GeneratedKey(path: path, keyID: keyID)) }
    Output.line(
      "wrote a new key to \(path) (key ID \(keyID)); keep a copy somewhere safe and apart from the bucket: "
        + "backups encrypted with it cannot be restored without it")
  }

  private func policyKeyFile() throws -> String {
    guard global.policy != nil else {
      throw ValidationError("give --output FILE, or --policy P whose backup.encryption has a key_file")
    }
    guard let path = try global.loadPolicy().backup.encryption?.keyFile else {
      throw ValidationError("the policy's backup.encryption has no key_file: give --output FILE")
    }
    return path
  }
}

/// `dr key generate --json`.
struct GeneratedKey: Encodable {
  let path: String
  let keyID: String

  enum CodingKeys: String, CodingKey {
    case path, keyID = "key_id"
  }
}
