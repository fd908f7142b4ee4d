import Foundation

/// `~/.aws/credentials` and `~/.aws/config` as read for one resolution. A file that does
/// not exist is empty; one that exists but cannot be read or parsed is an error, as it is
/// for the AWS CLI.
struct SharedFiles: Sendable {
  let credentialsPath: String
  let configPath: String
  let credentials: INIFile
  let config: INIFile

  var paths: [String] { [credentialsPath, configPath] }

  init(credentialsPath: String, configPath: String, credentials: INIFile, config: INIFile) {
    self.credentialsPath = credentialsPath
    self.configPath = configPath
    self.credentials = credentials
    self.config = config
  }

  static func load(credentialsPath: String, configPath: String) throws(CredentialsError) -> SharedFiles {
    SharedFiles(
      credentialsPath: credentialsPath, configPath: configPath, credentials: try read(credentialsPath),
      config: try read(configPath))
  }

  static func read(_ path: String) throws(CredentialsError) -> INIFile {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return INIFile() }
    if isDirectory.boolValue { throw .unreadableFile(path: path, reason: "it is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadableFile(path: path, reason: "permission denied or I/O error")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .unreadableFile(path: path, reason: "not UTF-8 text")
    }
    do {
      return try INIFile(parsing: text)
    } catch {
      throw .malformedFile(path: path, line: error.line, reason: error.reason)
    }
  }

  /// The profile `name` from either file, or nil when neither has it.
  func profile(_ name: String) -> SharedProfile? {
    let fromCredentials = credentials[name]
    let fromConfig = configSection(forProfile: name)
    if fromCredentials == nil && fromConfig == nil { return nil }
    return SharedProfile(
      name: name, credentialsFile: fromCredentials.map { ($0, credentialsPath) },
      configFile: fromConfig.map { ($0, configPath) }, services: servicesSection(of: fromConfig, fromCredentials))
  }

  /// `[profile NAME]`, or for the default profile `[profile default]` then `[default]`.
  private func configSection(forProfile name: String) -> [String: String]? {
    if let section = config.sections.first(where: { Self.profileName(ofConfigSection: $0.key) == name }) {
      return section.value
    }
    return name == "default" ? config["default"] : nil
  }

  /// `profile NAME` → NAME (any whitespace after the keyword); other sections → nil.
  static func profileName(ofConfigSection section: String) -> String? {
    guard section.hasPrefix("profile"), let next = section.dropFirst(7).first, next.isWhitespace else { return nil }
    return String(Substring(section.dropFirst(7)).trimmingWhitespace())
  }

  /// The `[services NAME]` section a profile points at with `services = NAME`.
  private func servicesSection(of config: [String: String]?, _ credentials: [String: String]?) -> [String: String]? {
    guard let name = credentials?["services"] ?? config?["services"] else { return nil }
    return self.config.sections.first { section in
      section.key.hasPrefix("services")
        && section.key.dropFirst(8).first?.isWhitespace == true
        && Substring(section.key.dropFirst(8)).trimmingWhitespace() == name
    }?.value
  }
}

/// One named profile: its sections in each file and the merged view, where the
/// credentials file wins on conflicts (as botocore merges them).
struct SharedProfile: Sendable {
  let name: String
  let credentialsFile: (values: [String: String], path: String)?
  let configFile: (values: [String: String], path: String)?
  /// The `[services NAME]` section named by the profile, if any.
  let services: [String: String]?

  /// A setting from either file (credentials first); empty values count as unset.
  func value(_ key: String) -> String? {
    for values in [credentialsFile?.values, configFile?.values] {
      if let value = values?[key], !value.isEmpty { return value }
    }
    return nil
  }

  /// The files the profile was found in, credentials file first.
  var files: [String] { [credentialsFile?.path, configFile?.path].compactMap { $0 } }
}
