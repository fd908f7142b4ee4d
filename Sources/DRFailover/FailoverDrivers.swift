import DRBackup
import DRCore
import DRPolicy

/// The driver an environment names (`driver: local | juju`), made for a run or for stopping.
public enum FailoverDrivers {
  /// For `dr restore --env` and `dr drill`: `directory` is the local driver's state; a juju
  /// drill works in a model of its own (`…-drill`), as a local drill has its own ports.
  public static func forRun(
    context: FailoverContext, stack: StackSettings, manifest: BackupManifest?, directory: String, drill: Bool
  ) throws -> any FailoverDriver {
    switch context.environment.driver {
    case .local:
      return try LocalDriver(
        directory: directory, environmentName: context.environment.name, stack: stack, manifest: manifest,
        storage: context.storage, keys: context.keys, environment: context.variables)
    case .juju:
      let commands = JujuCommands(
        model: context.jujuModel(drill: drill), credential: JujuCommands.credential(of: context.environment),
        stack: stack, database: manifest?.database.name, dumpFile: JujuCommands.dumpFile(backup: manifest?.id.rawValue),
        backup: manifest?.id.rawValue, environment: context.environment.name, dumpMajor: manifest?.dumpMajor)
      guard let manifest else {
        return JujuDriver(commands: commands, environment: context.variables) { _ in
          throw FailoverError(.noBackup, "no backup to restore")
        }
      }
      return JujuDriver(
        commands: commands, storage: context.storage, manifest: manifest, keys: context.keys,
        environment: context.variables)
    }
  }

  /// For `dr down`, which needs no storage or backup.
  public static func forStopping(
    policy: Policy, environment: EnvironmentSettings, directory: String, variables: [String: String]
  ) throws -> any FailoverDriver {
    let stack = environment.stack(over: policy.stack)
    switch environment.driver {
    case .local:
      return try LocalDriver(
        directory: directory, environmentName: environment.name, stack: stack, manifest: nil, storage: nil,
        environment: variables)
    case .juju:
      let model = JujuCommands.modelName(policy: policy.name, environment: environment.name)
      let commands = JujuCommands(
        model: model, credential: nil, stack: stack, database: nil, dumpFile: JujuCommands.dumpFile(backup: nil))
      return JujuDriver(commands: commands, environment: variables) { _ in
        throw FailoverError(.driver, "dr down does not restore")
      }
    }
  }
}
