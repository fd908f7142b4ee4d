import ArgumentParser

/// `dr s3`: plain object operations with dr's own signer and the policy's credentials.
struct S3Command: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "s3",
    abstract: "Plain object operations (ls, cp, rm, presign, mb) with dr's signer and credentials.",
    discussion: """
      Without --policy, credentials, region and endpoint come from the AWS chain
      (AWS_ACCESS_KEY_ID..., AWS_PROFILE, ~/.aws, AWS_ENDPOINT_URL). With --policy, from the
      policy's storage; --env NAME uses that environment's storage (its spare credentials).
      """,
    subcommands: [S3List.self, S3Copy.self, S3Remove.self, S3Presign.self, S3MakeBucket.self]
  )
}
