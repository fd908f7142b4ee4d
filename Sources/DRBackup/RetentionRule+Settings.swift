import DRPolicy

extension RetentionRule {
  /// The rule a policy's `retention:` section describes. `lock` (S3 Object Lock) is the
  /// bucket's business, not the planner's, and is ignored.
  public init(settings: RetentionSettings) {
    self.init(keepLast: settings.keepLast, daily: settings.daily, weekly: settings.weekly, monthly: settings.monthly)
  }
}
