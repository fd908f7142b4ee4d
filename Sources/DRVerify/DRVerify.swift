/// DRVerify: test restores of backups into scratch targets, their records, and reports.
public enum DRVerifyModule {}
