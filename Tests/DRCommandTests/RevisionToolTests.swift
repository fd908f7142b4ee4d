import DRCore
import DRTestSupport
import Foundation
import Testing

/// DRRevisionTool, which the build runs to name the commit in `dr --version` and
/// dr_build_info, on checkouts laid out by hand: it reads .git's files, never git.
struct RevisionToolTests {
  static let commit = "0123456789abcdef0123456789abcdef01234567"

  /// Runs the tool on `package` and returns the commit the generated file names.
  static func revision(of package: String, given: [String] = []) async throws -> String {
    let tool = URL(fileURLWithPath: DRBinary.path).deletingLastPathComponent().appendingPathComponent("DRRevisionTool")
    let output = "\(package)/BuildRevision.swift"
    let run = try await ProcessRunner.run(tool.path, [package, output] + given)
    #expect(run.status == 0, "\(run.standardError)")
    let source = try String(contentsOfFile: output, encoding: .utf8)
    let line = try #require(source.split(separator: "\n").first { $0.contains("static let commit") })
    return String(line.split(separator: "\"")[1])
  }

  static func write(_ text: String, _ path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  @Test func aTreeWithoutGitSaysUnknown() async throws {
    let package = TemporaryDirectory.unique("dr-rev-none")
    defer { try? FileManager.default.removeItem(atPath: package) }
    #expect(try await Self.revision(of: package) == "unknown")
    // $DR_REVISION, which the plugin passes on, names it; nothing but a plain word survives.
    #expect(try await Self.revision(of: package, given: [Self.commit]) == Self.commit)
    #expect(try await Self.revision(of: package, given: ["v1.2\"; rm -rf /"]) == "v1.2rm-rf")
  }

  @Test func aBranchIsReadLooseOrPacked() async throws {
    let package = TemporaryDirectory.unique("dr-rev-branch")
    defer { try? FileManager.default.removeItem(atPath: package) }
    try Self.write("ref: refs/heads/main\n", "\(package)/.git/HEAD")
    try Self.write("# pack-refs with: peeled\n\(Self.commit) refs/heads/main\n", "\(package)/.git/packed-refs")
    #expect(try await Self.revision(of: package) == Self.commit)
    let newer = "fedcba9876543210fedcba9876543210fedcba98"
    try Self.write("\(newer)\n", "\(package)/.git/refs/heads/main")
    #expect(try await Self.revision(of: package) == newer)
  }

  @Test func aDetachedHeadAndAWorktreeAreRead() async throws {
    let root = TemporaryDirectory.unique("dr-rev-worktree")
    defer { try? FileManager.default.removeItem(atPath: root) }
    try Self.write("\(Self.commit)\n", "\(root)/main/.git/HEAD")
    #expect(try await Self.revision(of: "\(root)/main") == Self.commit)
    // A worktree: .git is a file naming its git directory, whose commondir is the main one.
    try Self.write("gitdir: \(root)/main/.git/worktrees/wt\n", "\(root)/wt/.git")
    try Self.write("ref: refs/heads/feature\n", "\(root)/main/.git/worktrees/wt/HEAD")
    try Self.write("../..\n", "\(root)/main/.git/worktrees/wt/commondir")
    let feature = "1111111111111111111111111111111111111111"
    try Self.write("\(feature)\n", "\(root)/main/.git/refs/heads/feature")
    #expect(try await Self.revision(of: "\(root)/wt") == feature)
  }
}
