import Yams

extension BackupSettings {
  static let defaults = BackupSettings(
    schedule: nil, compression: CompressionSettings(codec: .bzip2, level: 9, threads: .auto), globals: true,
    encryption: nil)

  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(["schedule", "compression", "globals", "encryption"])
    schedule = try map.optional("schedule").map { field throws(PolicyError) in try field.cron() }
    compression =
      try map.optional("compression").map { field throws(PolicyError) in try CompressionSettings(field) }
      ?? Self.defaults.compression
    globals = try map.optional("globals")?.bool() ?? true
    encryption = try map.optional("encryption").map { field throws(PolicyError) in try EncryptionSettings(field) }
  }
}

extension CompressionSettings {
  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(["codec", "level", "threads", "encoder"])
    codec = try map.optional("codec").map { field throws(PolicyError) in try Self.codec(field) } ?? .bzip2
    let levels = Self.levels(codec)
    level = try map.optional("level")?.int(levels, "a \(codec.rawValue) level") ?? Self.defaultLevel(codec)
    threads =
      try map.optional("threads").map { field throws(PolicyError) in
        if case .scalar(let scalar) = field.node, scalar.string == "auto" { return .auto }
        return .count(try field.int(1...256, "auto or a number of threads"))
      } ?? .auto
    encoder =
      try map.optional("encoder").map { [codec] field throws(PolicyError) in try Self.encoder(field, codec) }
      ?? .auto
  }

  /// `encoder` says what writes bzip2: with another codec it would be ignored, so it is refused.
  static func encoder(_ field: Field, _ codec: Codec) throws(PolicyError) -> Encoder {
    guard codec == .bzip2 else {
      throw field.error("encoder (auto, libbz2 or lbzip2) applies to codec bzip2 only, not \(codec.rawValue)")
    }
    return try field.choice(Encoder.self)
  }
}

extension CompressionSettings {
  /// Codecs that are named in the design but not built, and what to say about them.
  static let unbuilt = [
    "gzip": "gzip is not built into dr; use zstd (fast, level 1-19) or bzip2 (what stock bunzip2 reads)"
  ]

  /// One of `Codec`'s names (after `${VAR}` expansion); an unbuilt codec is refused with
  /// what to use instead.
  static func codec(_ field: Field) throws(PolicyError) -> Codec {
    let names = Codec.allCases.map(\.rawValue).joined(separator: ", ")
    if let problem = unbuilt[try field.scalarText(expected: "one of \(names)")] { throw field.error(problem) }
    return try field.choice(Codec.self)
  }
}

extension RetentionSettings {
  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(["keep_last", "daily", "weekly", "monthly", "lock"])
    keepLast = try map.optional("keep_last")?.int(1...10_000, "a number of backups") ?? 3
    daily = try map.optional("daily")?.int(0...10_000, "a number of days") ?? 0
    weekly = try map.optional("weekly")?.int(0...10_000, "a number of weeks") ?? 0
    monthly = try map.optional("monthly")?.int(0...10_000, "a number of months") ?? 0
    lock = try map.optional("lock").map { field throws(PolicyError) in
      let lock = try field.mapping(["mode", "days"])
      return ObjectLockSettings(
        mode: try lock.required("mode", "governance or compliance").choice(ObjectLockSettings.Mode.self),
        days: try lock.required("days", "a number of days").int(1...36_500, "a number of days"))
    }
  }
}

extension NotifySettings {
  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(["webhook", "on", "secret"])
    webhook = try map.required("webhook", "an https:// URL to POST to").httpURL("a webhook URL")
    on =
      try map.optional("on").map { field throws(PolicyError) in
        try field.sequence().map { item throws(PolicyError) in try item.choice(Event.self) }
      } ?? [.failure]
    secret = try map.optional("secret").map { field throws(PolicyError) in try field.secret("a signing secret") }
  }
}
