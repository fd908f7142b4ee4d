import DRPolicy
import Foundation
import Testing

struct PolicyLocatorTests {
  func directory(with names: [String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dr-locator-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for name in names { _ = FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: Data("name: x\n".utf8)) }
    return dir
  }

  @Test func theOnlyPolicyIsTheDefault() throws {
    let dir = try directory(with: ["prod.yaml", "notes.txt"])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try PolicyLocator(directories: [dir]).resolve(nil) == "\(dir)/prod.yaml")
  }

  @Test func severalPoliciesNeedAChoice() throws {
    let dir = try directory(with: ["a.yaml", "b.yml"])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let error = #expect(throws: PolicyError.self) { try PolicyLocator(directories: [dir]).resolve(nil) }
    #expect(error?.description.contains("several policies (a, b)") == true)
  }

  @Test func aNameIsLookedUpAndAPathIsUsedAsIs() throws {
    let dir = try directory(with: ["a.yaml", "b.yml"])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let locator = PolicyLocator(directories: ["/nonexistent", dir])
    #expect(try locator.resolve("b") == "\(dir)/b.yml")
    #expect(try locator.resolve("\(dir)/a.yaml") == "\(dir)/a.yaml")
    #expect(throws: PolicyError.self) { try locator.resolve("c") }
    #expect(throws: PolicyError.self) { try locator.resolve("\(dir)/c.yaml") }
  }

  @Test func noPolicyAnywhere() {
    let error = #expect(throws: PolicyError.self) { try PolicyLocator(directories: ["/nonexistent"]).resolve(nil) }
    #expect(error?.description.contains("no policy found") == true)
  }

  /// The checkout ships one real policy (`local`); the example of every key lives in
  /// examples/, outside the lookup path, so `local` is the default without `--policy`.
  @Test func theCheckoutsOnlyPolicyIsTheDefaultNotTheExample() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    #expect(try PolicyLocator(directories: ["\(root)/policies"]).resolve(nil) == "\(root)/policies/local.yaml")
    #expect(FileManager.default.fileExists(atPath: "\(root)/examples/policy.yaml"))
    #expect(throws: PolicyError.self) { try PolicyLocator(directories: ["\(root)/policies"]).resolve("example") }
  }
}
