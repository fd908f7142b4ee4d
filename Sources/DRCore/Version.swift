/// dr's version, printed by `dr --version` and written into manifests.
public enum DRVersion {
  public static let current = "0.1.0"
}
