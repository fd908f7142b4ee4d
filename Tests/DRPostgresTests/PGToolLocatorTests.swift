import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

struct PGToolLocatorTests {
  /// A directory with fake `programs` that report `version`.
  func fakeTool(version: String, programs: [String] = ["pg_dump"]) throws -> String {
    let directory = TemporaryDirectory.unique("dr-fake-pg")
    for program in programs {
      let script = "#!/bin/sh\necho '\(program) (PostgreSQL) \(version) (fake)'\n"
      let path = "\(directory)/\(program)"
      try script.write(toFile: path, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
    return directory
  }

  @Test func findsTheInstalledPgDumpForTheTestServer() async throws {
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    let tool = try await PGToolLocator(environment: ProcessInfo.processInfo.environment).locate(
      "pg_dump", forServerMajor: 15)
    #expect(tool.majorVersion >= 15)
    #expect(FileManager.default.isExecutableFile(atPath: tool.path))
    #expect(tool.path.hasPrefix(bindir) || tool.majorVersion > 15)
  }

  @Test func refusesAPgDumpOlderThanTheServer() async throws {
    let old = try fakeTool(version: "13.2")
    defer { try? FileManager.default.removeItem(atPath: old) }
    let error = await #expect(throws: PostgresError.self) {
      try await PGToolLocator(searchDirectories: [old]).locate("pg_dump", forServerMajor: 15)
    }
    #expect(error?.code == .toolTooOld)
    #expect(error?.description.contains("13.2") == true)
    #expect(error?.description.contains("apt-get install postgresql-client-15") == true)
  }

  @Test func picksTheClosestFittingVersion() async throws {
    let v14 = try fakeTool(version: "14.9")
    let v16 = try fakeTool(version: "16.4")
    let v17 = try fakeTool(version: "17.1")
    defer { for dir in [v14, v16, v17] { try? FileManager.default.removeItem(atPath: dir) } }
    let tool = try await PGToolLocator(searchDirectories: [v17, v14, v16]).locate("pg_dump", forServerMajor: 15)
    #expect(tool.version == "16.4")
    #expect(tool.path == "\(v16)/pg_dump")
  }

  @Test func saysWhereItLookedWhenNothingIsFound() async throws {
    let error = await #expect(throws: PostgresError.self) {
      try await PGToolLocator(searchDirectories: ["/nonexistent"]).locate("pg_dump", forServerMajor: 15)
    }
    #expect(error?.code == .toolMissing)
    #expect(error?.description.contains("/nonexistent") == true)
  }

  /// A directory whose `pg_dump` is the shell `script`.
  func brokenTool(_ script: String) throws -> String {
    let directory = TemporaryDirectory.unique("dr-broken-pg")
    try "#!/bin/sh\n\(script)\n".write(toFile: "\(directory)/pg_dump", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(directory)/pg_dump")
    return directory
  }

  /// Injected: a pg_dump that fails as one missing a library does (exit 127 and the loader's
  /// line), one that says no version, and one whose interpreter does not exist (it cannot be
  /// started). Asserted: the error is "not usable", not "not found", and names each program
  /// with what it said; beside an older working one, the too-old error names them too.
  @Test func aPgDumpThatCannotRunIsNamedWithWhyNotReportedMissing() async throws {
    let library = try brokenTool(
      "echo 'pg_dump: error while loading shared libraries: libpq.so.5: cannot open shared object file' >&2; exit 127")
    let silent = try brokenTool("echo hello")
    let unstartable = TemporaryDirectory.unique("dr-broken-pg")
    try "#!/nonexistent/interpreter\n".write(toFile: "\(unstartable)/pg_dump", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(unstartable)/pg_dump")
    let old = try fakeTool(version: "13.2")
    defer { for dir in [library, silent, unstartable, old] { try? FileManager.default.removeItem(atPath: dir) } }

    let error = await #expect(throws: PostgresError.self) {
      try await PGToolLocator(searchDirectories: [library, silent, unstartable]).locate("pg_dump", forServerMajor: 15)
    }
    let text = error?.description ?? ""
    #expect(error?.code == .toolMissing)
    #expect(text.contains("pg_dump not usable"), "\(text)")
    #expect(
      text.contains(
        "\(library)/pg_dump --version exited with status 127: pg_dump: error while loading shared libraries"), "\(text)"
    )
    #expect(text.contains("\(silent)/pg_dump --version said \"hello\", not a PostgreSQL version"), "\(text)")
    #expect(text.contains("\(unstartable)/pg_dump could not be started"), "\(text)")

    let tooOld = await #expect(throws: PostgresError.self) {
      try await PGToolLocator(searchDirectories: [old, library]).locate("pg_dump", forServerMajor: 15)
    }
    #expect(tooOld?.code == .toolTooOld)
    #expect(
      tooOld?.description.contains("found but unusable: \(library)/pg_dump") == true, "\(String(describing: tooOld))")

    // Passed over for one that fits, it is still named where dr says what it chose.
    let fits = try fakeTool(version: "16.4")
    defer { try? FileManager.default.removeItem(atPath: fits) }
    let choice = try await PGToolLocator(searchDirectories: [library, fits]).choose("pg_dump", forMajor: 15)
    #expect(choice.tool.path == "\(fits)/pg_dump")
    #expect(
      choice.description.contains("passed over: \(library)/pg_dump --version exited with status 127"), "\(choice)")
  }

  /// `DR_PG_BINDIR`'s directories (colon-separated) first, then Debian's and RHEL's layouts
  /// (newest major first), then `PATH`; relative entries are skipped.
  @Test func theSearchPathIsTheBindirListThenTheStandardLayoutsThenPATH() throws {
    let root = TemporaryDirectory.unique("dr-layouts")
    defer { try? FileManager.default.removeItem(atPath: root) }
    for directory in [
      "debian/15/bin", "debian/17/bin", "debian/common", "rhel/pgsql-16/bin", "rhel/pgsql-x", "rhel/lib",
    ] {
      try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
    }
    let environment = ["DR_PG_BINDIR": "/opt/pg18/bin:relative/bin::/opt/pg17/bin", "PATH": "/usr/local/bin:bin"]
    let path = PGToolLocator.searchPath(environment, debianRoot: "\(root)/debian", rhelRoot: "\(root)/rhel")
    #expect(
      path == [
        "/opt/pg18/bin", "/opt/pg17/bin", "\(root)/debian/17/bin", "\(root)/rhel/pgsql-16/bin",
        "\(root)/debian/15/bin", "/usr/local/bin",
      ])
  }

  @Test func theEarlierInTheSearchPathWinsBetweenTwoOfTheSameMajor() async throws {
    let first = try fakeTool(version: "16.2")
    let second = try fakeTool(version: "16.4")
    defer { for dir in [first, second] { try? FileManager.default.removeItem(atPath: dir) } }
    let choice = try await PGToolLocator(searchDirectories: [first, second]).choose("pg_dump", forMajor: 15)
    #expect(choice.tool.path == "\(first)/pg_dump")
    #expect(choice.description.contains("also found: 16.4 at \(second)"), "\(choice)")
  }

  /// An installation without the programs the caller needs beside it (pg_dumpall for the
  /// globals) is passed over, even when its version fits better.
  @Test func anInstallationLackingAProgramBesideItIsPassedOver() async throws {
    let alone = try fakeTool(version: "15.3")
    let whole = try fakeTool(version: "17.1", programs: ["pg_dump", "pg_dumpall"])
    defer { for dir in [alone, whole] { try? FileManager.default.removeItem(atPath: dir) } }
    let locator = PGToolLocator(searchDirectories: [alone, whole])
    #expect(try await locator.locate("pg_dump", forServerMajor: 15).path == "\(alone)/pg_dump")
    #expect(
      try await locator.locate("pg_dump", forServerMajor: 15, siblings: ["pg_dumpall"]).path == "\(whole)/pg_dump")
  }

  /// No server programs of the dump's major or newer: the error names the packages of
  /// Debian and RHEL and DR_PG_BINDIR.
  @Test func tooOldServerProgramsNameTheServerPackage() async throws {
    let old = try fakeTool(version: "15.3", programs: ["initdb"])
    defer { try? FileManager.default.removeItem(atPath: old) }
    let error = await #expect(throws: PostgresError.self) {
      try await PGToolLocator(searchDirectories: [old]).locate("initdb", forServerMajor: 17)
    }
    let text = error?.description ?? ""
    #expect(text.contains("older than the dump (PostgreSQL 17): found 15.3"), "\(text)")
    #expect(text.contains("apt-get install postgresql-17;") && text.contains("RHEL: postgresql17-server"), "\(text)")
    #expect(text.contains("DR_PG_BINDIR"), "\(text)")
  }
}
