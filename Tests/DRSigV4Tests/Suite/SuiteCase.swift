import DRSigV4
import Foundation

/// One case folder of the AWS SigV4 test suite (Fixtures/sigv4-test-suite), loaded from the bundle.
struct SuiteCase {
  let name: String
  let context: SuiteContext
  let request: WireRequest

  init(_ name: String) throws {
    self.name = name
    context = try JSONDecoder.suite.decode(SuiteContext.self, from: Data(contentsOf: Self.url(name, "context.json")))
    request = try WireRequest(parsing: Self.file(name, "request.txt"))
  }

  /// The expected text of `file` in this case, byte for byte.
  func expected(_ file: String) throws -> String {
    try Self.file(name, file)
  }

  /// Every case folder, sorted; the tests are parameterized over these names.
  static let names: [String] = {
    let entries = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
    return entries.filter(\.hasDirectoryPath).map(\.lastPathComponent).sorted()
  }()

  static let root: URL = Bundle.module.resourceURL!.appending(path: "Fixtures/sigv4-test-suite")

  static func url(_ name: String, _ file: String) -> URL {
    root.appending(path: name).appending(path: file)
  }

  static func file(_ name: String, _ file: String) throws -> String {
    let data = try Data(contentsOf: url(name, file))
    guard let text = String(data: data, encoding: .utf8) else { throw CocoaError(.fileReadInapplicableStringEncoding) }
    return text
  }
}

/// `context.json`: credentials, scope, time and signing flags of a case.
struct SuiteContext: Decodable {
  struct Credentials: Decodable {
    let accessKeyID: String
    let secretAccessKey: String
    let token: String?

    enum CodingKeys: String, CodingKey {
      case accessKeyID = "access_key_id"
      case secretAccessKey = "secret_access_key"
      case token
    }
  }

  let credentials: Credentials
  let expirationInSeconds: Int
  let normalize: Bool
  let region: String
  let service: String
  let signBody: Bool
  let timestamp: Date
  let omitSessionToken: Bool?

  enum CodingKeys: String, CodingKey {
    case credentials, normalize, region, service, timestamp
    case expirationInSeconds = "expiration_in_seconds"
    case signBody = "sign_body"
    case omitSessionToken = "omit_session_token"
  }
}

extension JSONDecoder {
  static let suite: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }()
}
