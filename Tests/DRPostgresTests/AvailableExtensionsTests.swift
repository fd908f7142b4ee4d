import DRTestSupport
import Foundation
import Testing

@testable import DRPostgres

/// Control files as the server reads them, and the installations on this machine.
struct AvailableExtensionsTests {
  @Test func aControlFilesVersionAndFlagsAreRead() {
    let offer = AvailableExtensions.offer(
      controlFile: """
        # pgcrypto extension
        comment = 'cryptographic functions'
        default_version = '1.3'
        module_pathname = '$libdir/pgcrypto'
        relocatable = true
        trusted = true
        """)
    #expect(offer == .init(defaultVersion: "1.3", superuser: true, trusted: true))
    #expect(!offer.needsSuperuser)
    let untrusted = AvailableExtensions.offer(controlFile: "default_version = '1.1'\nsuperuser = true\n")
    #expect(untrusted.needsSuperuser)
  }

  /// Debian's PostgreSQL 15 (the suite's server) offers its contrib modules, pgcrypto among
  /// them, as the server itself says.
  @Test func theInstallationOffersWhatItsServerOffers() async throws {
    let binaries = try await ServerBinaries.locate(forMajor: 15, environment: ["PATH": "/usr/bin:/bin"])
    let fromFiles = try await binaries.availableExtensions()
    #expect(fromFiles.offers["pgcrypto"] != nil)
    #expect(fromFiles.offers["plpgsql"]?.trusted == true)
    let server = try await PGConnection.connect(try TestServices.superuserURL())
    let fromServer = try await AvailableExtensions.read(on: server)
    #expect(binaries.majorVersion == server.serverMajorVersion)
    #expect(Set(fromFiles.offers.keys) == Set(fromServer.offers.keys))
    #expect(fromFiles.offers["pgcrypto"] == fromServer.offers["pgcrypto"])
  }
}
