import CDRSystem

/// The soft limit on this process's open descriptors (RLIMIT_NOFILE): at most 2^20, 1024
/// when it cannot be read. What keeps descriptors for long (a filter session's input
/// pipes) sizes itself to a share of it.
public func openFileLimit() -> Int { cdr_open_file_limit() }
