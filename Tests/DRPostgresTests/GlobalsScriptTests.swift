import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// `GlobalsScript.undefinedRoles` on real pg_dumpall output and on scripts missing roles.
struct GlobalsScriptTests {
  @Test func aRealGlobalsDumpCreatesEveryRoleItGrants() async throws {
    let tag = UUID().uuidString.prefix(8).lowercased()
    let (plain, weird) = ("dr_globals_\(tag)", "dr globals \"\(tag)\"")
    let quoted = SQL.identifier(weird)
    let admin = try await PGConnection.connect(try TestServices.superuserURL())
    _ = try await admin.query("CREATE ROLE \(plain); CREATE ROLE \(quoted); GRANT \(quoted) TO \(plain)")
    let script: String
    do {
      script = try await Self.dumpGlobals()
      _ = try await admin.query("DROP ROLE \(plain); DROP ROLE \(quoted)")
    } catch {
      _ = try? await admin.query("DROP ROLE \(plain); DROP ROLE \(quoted)")
      throw error
    }
    #expect(script.contains("GRANT \(quoted) TO \(plain)"), "\(script)")
    // Other tests may make roles on this server meanwhile: only ours are this test's.
    #expect(GlobalsScript(script).undefinedRoles.isDisjoint(with: [plain, weird]))

    // As if both were made after pg_dumpall had read the roles: granted, never created.
    let torn = script.split(separator: "\n", omittingEmptySubsequences: false).filter {
      !$0.hasPrefix("CREATE ROLE \(plain);") && !$0.hasPrefix("CREATE ROLE \(quoted);")
    }.joined(separator: "\n")
    #expect(GlobalsScript(torn).undefinedRoles.intersection([plain, weird]) == [plain, weird])
  }

  @Test func privilegesAreNotMembershipsButGrantorsAreRoles() {
    let script = [
      "CREATE ROLE postgres;", "CREATE ROLE app;", "GRANT ALL ON TABLESPACE fast TO app;",
      "GRANT SET ON PARAMETER work_mem TO app;", #"GRANT app TO "new ""one""" WITH ADMIN OPTION GRANTED BY gone;"#,
    ].joined(separator: "\n")
    #expect(GlobalsScript(script).undefinedRoles == ["new \"one\"", "gone"])
    #expect(GlobalsScript("CREATE ROLE a;\nCREATE ROLE b;\nGRANT a TO b GRANTED BY a;\n").undefinedRoles.isEmpty)
  }

  static func dumpGlobals() async throws -> String {
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    let output = try await ProcessRunner.run(
      "\(bindir)/pg_dumpall", ["--globals-only", "--dbname=\(try TestServices.superuserURL())"])
    #expect(output.status == 0, "\(output.standardError)")
    return output.standardOutput
  }
}
