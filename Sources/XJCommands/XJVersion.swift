/// The version of xj, recorded in experiments and printed by `xj --version`.
public enum XJVersion {
    public static let current = "0.1.0"
}
