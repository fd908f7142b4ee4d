import Foundation

/// The commit a checkout's HEAD names, read from its files: `.git` as a directory or as a
/// worktree's `gitdir:` file, HEAD as a commit or a `ref:`, the ref loose or packed.
struct GitRevision {
  let packageDirectory: String

  func commit() -> String? {
    guard let gitDirectory = gitDirectory(), let head = read("\(gitDirectory)/HEAD") else { return nil }
    guard head.hasPrefix("ref: ") else { return Self.isCommit(head) ? head : nil }
    let ref = String(head.dropFirst(5))
    let common = commonDirectory(gitDirectory)
    for directory in [gitDirectory, common] {
      if let loose = read("\(directory)/\(ref)"), Self.isCommit(loose) { return loose }
    }
    return packed(ref, in: common)
  }

  /// `.git` itself, or where a worktree's `.git` file points.
  func gitDirectory() -> String? {
    let dotGit = "\(packageDirectory)/.git"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDirectory) else { return nil }
    if isDirectory.boolValue { return dotGit }
    guard let line = read(dotGit), line.hasPrefix("gitdir: ") else { return nil }
    let path = String(line.dropFirst(8))
    return path.hasPrefix("/") ? path : "\(packageDirectory)/\(path)"
  }

  /// A worktree's shared repository (its `commondir`), else the git directory itself.
  func commonDirectory(_ gitDirectory: String) -> String {
    guard let common = read("\(gitDirectory)/commondir") else { return gitDirectory }
    return common.hasPrefix("/") ? common : "\(gitDirectory)/\(common)"
  }

  func packed(_ ref: String, in directory: String) -> String? {
    guard let text = read("\(directory)/packed-refs") else { return nil }
    for line in text.split(separator: "\n") where line.hasSuffix(" \(ref)") {
      let commit = String(line.prefix { $0 != " " })
      if Self.isCommit(commit) { return commit }
    }
    return nil
  }

  func read(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  static func isCommit(_ text: String) -> Bool {
    (text.count == 40 || text.count == 64) && text.allSatisfy(\.isHexDigit)
  }
}
