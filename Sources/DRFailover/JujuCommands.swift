import DRPolicy

/// One juju command: its arguments (after `juju`), run as an array, never through a shell.
public struct JujuInvocation: Sendable, Equatable {
  public enum Role: Sendable, Equatable {
    /// Creates something (a model, an application, a relation): when it exists already,
    /// juju says "already exists" and the command counts as done, so a rerun resumes.
    case create
    /// Must succeed.
    case action
    /// The restored database's row counts, one `schema|table|rows` line each.
    case rowCounts
    /// What the database holds before the restore (`DatabaseContents.probeQuery`); psql's
    /// "database … does not exist" means it is absent.
    case probe
    /// Creates the database: run only when the probe found it absent.
    case createDatabase
    /// dr's marker on the restored database: run only once the counts matched.
    case mark
  }

  public var arguments: [String]
  public var role: Role

  public init(_ arguments: [String], role: Role = .action) {
    self.arguments = arguments
    self.role = role
  }

  /// The command as a shell would need it to run the same arguments.
  public var display: String { JujuShell.line(["juju"] + arguments) }
}

/// The exact juju commands of a plan's steps, as values: what `dr plan --env` shows for an
/// environment with `driver: juju`, and what `JujuDriver` runs. Everything happens in one
/// model (`-m` on every command: never the controller's current model), made by the first
/// step of the plan.
public struct JujuCommands: Sendable, Equatable {
  /// Where the dump is copied on the PostgreSQL unit.
  public static let remoteDump = "/tmp/dr-restore.pgc"
  /// The tracks of the postgresql charm (Canonical's publishes PostgreSQL 14 and 16): a
  /// dump is restored on the oldest track not older than it, since pg_restore and the
  /// server must be at least the dump's major.
  public static let postgresqlTracks = [14, 16]
  /// How long `juju wait-for` waits for an application to be active.
  public static let waitTimeout = "20m"

  public var model: String
  /// The juju credential for `add-model` (nil: the controller's default).
  public var credential: String?
  /// The environment's stack (its ports).
  public var stack: StackSettings
  /// The database restored (nil: no backup, the restore has no commands).
  public var database: String?
  /// The local file the dump is downloaded and decompressed to before `juju scp`.
  public var dumpFile: String
  /// The backup restored, named in dr's marker on the database.
  public var backup: String?
  /// The environment's name, for the way out when the restore refuses (nil: not known).
  public var environment: String?
  /// The major version of the dump restored (nil: no backup known).
  public var dumpMajor: Int? = nil

  public init(
    model: String, credential: String?, stack: StackSettings, database: String?, dumpFile: String,
    backup: String? = nil, environment: String? = nil, dumpMajor: Int? = nil
  ) {
    self.model = model
    self.credential = credential
    self.stack = stack
    self.database = database
    self.dumpFile = dumpFile
    self.backup = backup
    self.environment = environment
    self.dumpMajor = dumpMajor
  }

  /// The charm channel for a dump of `major`: the oldest track not older (no dump known:
  /// the oldest track); nil when every track is older than the dump.
  public static func postgresqlChannel(forDump major: Int?) -> String? {
    guard let major else { return "\(postgresqlTracks[0])/stable" }
    return postgresqlTracks.first { $0 >= major }.map { "\($0)/stable" }
  }

  /// The channel deployed: the planner refuses a dump newer than every track before this runs.
  public var postgresqlChannel: String {
    Self.postgresqlChannel(forDump: dumpMajor) ?? "\(Self.postgresqlTracks.last!)/stable"
  }

  /// The commands for what the planner knows; `model` defaults to the environment's.
  public init(input: PlannerInput, model: String? = nil) {
    self.init(
      model: model ?? input.jujuModel ?? Self.modelName(policy: nil, environment: input.environment.name),
      credential: Self.credential(of: input.environment), stack: input.stack, database: input.backup?.database,
      dumpFile: Self.dumpFile(backup: input.backup?.id), backup: input.backup?.id,
      environment: input.environment.name, dumpMajor: input.backup?.restoreMajor)
  }

  /// `dr-<policy or environment>-<environment>`, in what juju accepts for a model name:
  /// lowercase letters, digits and '-'.
  public static func modelName(policy: String?, environment: String) -> String {
    let name = "dr-\(policy ?? environment)-\(environment)".lowercased()
    return String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
  }

  /// The environment's credentials as a juju credential: a profile's name (nil for keys).
  public static func credential(of environment: EnvironmentSettings) -> String? {
    if case .profile(let name) = environment.credentials ?? environment.storage?.credentials { return name }
    return nil
  }

  /// Where the driver writes the dump of `backup` before copying it to the unit.
  public static func dumpFile(backup: String?, directory: String = "/tmp") -> String {
    "\(directory)/dr-restore-\(backup ?? "latest").pgc"
  }

  /// The commands of `step` for people, for the plan (the planner's hook).
  public static func commands(for step: PlanStep, input: PlannerInput) -> [String] {
    JujuCommands(input: input).commands(for: step)
  }

  /// The commands of `step` for people.
  public func commands(for step: PlanStep) -> [String] {
    invocations(for: step).map(\.display)
  }

  /// What the driver runs for `step`, in order.
  public func invocations(for step: PlanStep) -> [JujuInvocation] {
    var result: [JujuInvocation] = []
    if let component = step.component, step.kind != .restore, step.kind != .endToEnd,
      component == firstComponent
    {
      result.append(addModel)
    }
    switch step.kind {
    case .postgresql:
      result += deploy("postgresql", extra: ["--channel", postgresqlChannel], relations: [])
    case .restore: result += restore()
    case .memcached: result += deploy("memcached", relations: [])
    case .app:
      let name = step.component ?? ""
      result += deploy(name, relations: stack.component(named: name)?.needs ?? [])
    case .haproxy:
      let name = step.component ?? "haproxy"
      result += deploy(name, relations: stack.component(named: name)?.backends ?? [])
    case .endToEnd: result += endToEnd(step)
    }
    return result
  }

  /// Removes the model and its storage: `dr down --purge`.
  public var destroyModel: JujuInvocation {
    JujuInvocation(["destroy-model", model, "--no-prompt", "--destroy-storage"])
  }

  /// The model, made before anything is deployed into it.
  var addModel: JujuInvocation {
    JujuInvocation(["add-model", model] + (credential.map { ["--credential", $0] } ?? []), role: .create)
  }

  /// The component whose step comes first in the plan: it makes the model.
  var firstComponent: String? {
    (try? StackOrdering.ordered(stack))?.first?.name
  }
}
