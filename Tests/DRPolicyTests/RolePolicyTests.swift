import DRCore
import DRPolicy
import Foundation
import Testing

/// `credentials: {role_arn: …, source: …}` in storage, copies and environments (issue 19).
struct RolePolicyTests {
  static let base = BadPolicyTests.base

  @Test func anEnvironmentAssumesARoleInAnotherAccountWithItsSourceAndOptions() throws {
    let yaml =
      Self.base + """
        environments:
          failover:
            credentials:
              role_arn: arn:aws:iam::210987654321:role/dr-spare
              source: {profile: production}
              external_id: ${EXTERNAL}
              role_session_name: dr-failover
              duration_seconds: 900

        """
    let policy = try PolicyLoader(environment: ["EXTERNAL": "ext-1"]).parse(yaml: yaml, file: "r.yaml")
    let failover = try #require(policy.environments.first { $0.name == "failover" })
    let expected = RoleSettings(
      roleARN: "arn:aws:iam::210987654321:role/dr-spare", authority: .credentials(.profile("production")),
      externalID: "ext-1", sessionName: "dr-failover", durationSeconds: 900)
    #expect(failover.credentials == .role(expected))
    #expect(failover.storage(over: policy.storage).credentials == .role(expected))
  }

  @Test func aRoleWithoutSourceUsesTheDefaultChainAndRolesChain() throws {
    let yaml = Self.base.replacingOccurrences(
      of: "storage: {",
      with: """
        storage: {credentials: {role_arn: "arn:aws:iam::1:role/outer", source: {role_arn: "arn:aws:iam::2:role/inner"}}, \

        """)
    let policy = try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "r.yaml")
    let inner = RoleSettings(roleARN: "arn:aws:iam::2:role/inner")
    #expect(inner.authority == .credentials(nil))
    #expect(
      policy.storage.credentials
        == .role(RoleSettings(roleARN: "arn:aws:iam::1:role/outer", authority: .credentials(.role(inner)))))
  }

  @Test func aWebIdentityTokenFileIsTheRolesAuthority() throws {
    let yaml = Self.base.replacingOccurrences(
      of: "storage: {",
      with: """
        storage: {credentials: {role_arn: "arn:aws:iam::1:role/irsa", web_identity_token_file: /var/run/token}, \

        """)
    let policy = try PolicyLoader(environment: [:]).parse(yaml: yaml, file: "r.yaml")
    #expect(
      policy.storage.credentials
        == .role(
          RoleSettings(roleARN: "arn:aws:iam::1:role/irsa", authority: .webIdentity(tokenFile: "/var/run/token"))))
  }
}
