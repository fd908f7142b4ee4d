import ArgumentParser

@main struct DR: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "dr", abstract: "PostgreSQL backups")
  func run() async throws {}
}
