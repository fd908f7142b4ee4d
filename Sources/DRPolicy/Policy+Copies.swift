extension Policy {
  /// Production's storage: the production environment's override, else the policy's.
  public var productionStorage: StorageSettings {
    environment(named: "production")?.storage(over: storage) ?? storage
  }

  /// Where copies of production's backups go, by name: `copy-N` for each entry of
  /// `storage.copies`, and every environment but production whose storage is another
  /// place (its failover must find its own copy there).
  public var copyDestinations: [(name: String, settings: StorageSettings)] {
    var result = storage.copies.enumerated().map { ("copy-\($0.offset + 1)", $0.element) }
    for environment in environments where environment.name != "production" {
      let settings = environment.storage(over: storage)
      if settings.location != productionStorage.location,
        !result.contains(where: { $0.1.location == settings.location })
      {
        result.append((environment.name, settings))
      }
    }
    return result
  }
}
