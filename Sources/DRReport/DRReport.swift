/// DRReport: the restore-verification report, its data model and its renderers (Markdown,
/// HTML, JSON).
public enum DRReportModule {}
