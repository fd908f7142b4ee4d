/// DRVerify: test restores of backups into scratch targets, and their records.
public enum DRVerifyModule {}
