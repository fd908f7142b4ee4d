import Foundation
import PackagePlugin

/// Generates `BuildRevision.swift` (the git commit dr is built from) for the target it is
/// applied to. The command runs again when HEAD or the branch it names moves; the plugin
/// itself runs on every build, so a checkout of another branch is seen too. `DR_REVISION`
/// in the build's environment names the commit instead (a tree without .git).
@main
struct DRRevisionPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
    let tool = try context.tool(named: "DRRevisionTool")
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuildRevision.swift")
    let package = context.package.directoryURL
    // $DR_REVISION names the commit where there is no .git (an image's build context); as
    // an argument, a change of it runs the command again.
    let given = ProcessInfo.processInfo.environment["DR_REVISION"].map { [$0] } ?? []
    return [
      .buildCommand(
        displayName: "Reading dr's git revision", executable: tool.url, arguments: [package.path, output.path] + given,
        inputFiles: Self.watched(package), outputFiles: [output])
    ]
  }

  /// The files whose change means another commit: HEAD, the ref it names, packed refs.
  static func watched(_ package: URL) -> [URL] {
    let dotGit = package.appendingPathComponent(".git")
    var gitDirectory = dotGit
    if let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir: ") {
      let path = text.dropFirst(8).trimmingCharacters(in: .whitespacesAndNewlines)
      gitDirectory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appendingPathComponent(path)
    }
    var common = gitDirectory
    if let text = try? String(contentsOf: gitDirectory.appendingPathComponent("commondir"), encoding: .utf8) {
      let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
      common = path.hasPrefix("/") ? URL(fileURLWithPath: path) : gitDirectory.appendingPathComponent(path)
    }
    let head = gitDirectory.appendingPathComponent("HEAD")
    var files = [head, common.appendingPathComponent("packed-refs")]
    if let text = try? String(contentsOf: head, encoding: .utf8), text.hasPrefix("ref: ") {
      let ref = text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)
      files += [gitDirectory.appendingPathComponent(ref), common.appendingPathComponent(ref)]
    }
    return files.filter { FileManager.default.fileExists(atPath: $0.path) }
  }
}
