import Foundation

// Writes dr's git revision into a Swift file at build time (the DRRevisionPlugin build tool
// runs it). It reads the repository's files itself rather than running git: no network, no
// git program needed, and a build from a tarball without .git says "unknown".
//
// Usage: DRRevisionTool PACKAGE_DIR OUTPUT_FILE [REVISION]
// REVISION, when given (the plugin passes $DR_REVISION), wins over .git: for builds from a
// tree without .git that know their commit, such as an image built from a clean context.

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
  FileHandle.standardError.write(Data("usage: DRRevisionTool PACKAGE_DIR OUTPUT_FILE [REVISION]\n".utf8))
  exit(2)
}
let given = arguments.count == 4 ? arguments[3].filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" } : ""
let commit = given.isEmpty ? GitRevision(packageDirectory: arguments[1]).commit() ?? "unknown" : given
let source = """
  // Generated at build time by DRRevisionTool from the package's .git; do not edit.
  enum BuildRevision {
    /// The git commit dr was built from, or "unknown" (a build without .git).
    static let commit = "\(commit)"
  }

  """
do {
  try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
} catch {
  FileHandle.standardError.write(Data("DRRevisionTool: cannot write \(arguments[2]): \(error)\n".utf8))
  exit(1)
}
