/// DRRestore: a backup fetched, checked, decrypted, decompressed and restored into a
/// PostgreSQL database, with the choice of which backup, and the removal of what a killed
/// dr left. Used by verification, `dr restore --target` and the failover.
public enum DRRestoreModule {}
