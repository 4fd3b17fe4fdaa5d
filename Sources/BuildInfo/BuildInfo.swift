/// What this binary was built from. `buildCommit` is generated before each build by the
/// BuildCommit plugin (scripts/build-commit.sh): the full commit hash, or "unknown" for a
/// build outside a Git checkout without `CAPSTAN_BUILD_COMMIT`.
public enum BuildInfo {
    public static let version = "0.1.0-dev"
    public static var commit: String { buildCommit }
}
