import DRCore
import DRPostgres
import DRTestSupport
import Foundation
import Testing

/// dr's own clusters: settings go to a file (never through pg_ctl's shell), so paths with
/// quotes, spaces, `"` and `$` are just values.
struct LocalClusterTests {
  @Test(arguments: [
    ("/tmp/plain", "'/tmp/plain'"), ("it's", "'it''s'"), ("a\\b", "'a\\\\b'"), ("line\nbreak", "'line\\nbreak'"),
    ("", "''"), ("bell\u{7}", "'bell\\007'"),
  ])
  func valuesAreQuotedAsPostgresqlConfReadsThem(_ value: String, _ expected: String) {
    #expect(LocalCluster.quoted(value) == expected)
  }

  @Test func socketDirectoriesAreDoubleQuotedSoCommasAndSpacesStayInThePath() {
    #expect(LocalCluster.directoryList([]) == "")
    #expect(LocalCluster.directoryList(["/a b,c", "/d\"e"]) == "\"/a b,c\",\"/d\"\"e\"")
  }

  /// A cluster in a directory whose path holds a single quote, a space, a double quote and
  /// a `$`: it starts, has exactly the settings given (socket in that directory, no TCP),
  /// restarts with them and stops.
  @Test func aClusterStartsWhereThePathHoldsQuotesAndSpaces() async throws {
    let root = TemporaryDirectory.unique("dr-local-cluster")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let directory = root + "/it's a \"dir\" $HOME"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let user = try LocalCluster.serverUser()
    try LocalCluster.handOver(directory, to: user)
    let cluster = LocalCluster(
      binDirectory: try TestServices.require("DR_TEST_PG_BINDIR"), directory: directory, runAs: user)
    do {
      try await exercise(cluster, in: directory)
    } catch {
      await cluster.stop(mode: .immediate)
      throw error
    }
  }

  func exercise(_ cluster: LocalCluster, in directory: String) async throws {
    let port = Int.random(in: 40_000...60_000)
    try await cluster.initialize(.init(authentication: .trust, noSync: true))
    let settings = [
      ("listen_addresses", ""), ("unix_socket_directories", LocalCluster.directoryList([directory])),
      ("port", "\(port)"), ("fsync", "off"), ("cluster_name", "it's \"quoted\" \\ $HOME"),
    ]
    try await cluster.start(settings: settings, timeoutSeconds: 60)
    #expect(await cluster.isRunning())
    let escaped = directory.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    let conninfo = "host='\(escaped)' port=\(port) user=postgres dbname=postgres"
    let shown = try await PGConnection.connect(conninfo).query(
      "SELECT current_setting('unix_socket_directories'), current_setting('listen_addresses'), "
        + "current_setting('fsync'), current_setting('cluster_name')")
    #expect(shown == [[LocalCluster.directoryList([directory]), "", "off", "it's \"quoted\" \\ $HOME"]])
    try await cluster.restart()
    #expect(try await PGConnection.connect(conninfo).query("SELECT 1") == [["1"]])
    #expect(await cluster.stop(mode: .fast))
    #expect(!(await cluster.isRunning()))
  }
}
