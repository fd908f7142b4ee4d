public enum DRPostgresPlaceholder {}
