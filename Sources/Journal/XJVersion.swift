/// The version of xj, printed by `xj --version` and recorded in every experiment's `run.json`.
public enum XJVersion {
    public static let current = "0.3.0"
}
