import DRBackup

extension BackupID {
  /// An ID as `dr … --json` prints it; anything else is a failure that names the text.
  public init(parsing text: String) throws {
    guard let id = BackupID(text) else { throw TestSupportError("not a backup ID: \(text)") }
    self = id
  }
}
