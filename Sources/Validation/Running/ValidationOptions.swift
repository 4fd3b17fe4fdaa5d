/// Everything a validation run needs to know; the command line fills it in.
public struct ValidationOptions: Sendable {
    /// Files and directories; `-` reads standard input.
    public var paths: [String]
    /// `1.30`, `v1.30.0`; nil for the newest bundled release.
    public var kubernetesVersion: String?
    /// Close objects (unknown fields are errors) and reject duplicate keys.
    public var strict = false
    public var schemaDirectories: [String] = []
    public var crdFiles: [String] = []
    public var include: [String] = []
    public var exclude: [String] = []
    /// Kinds (`Kind` or `group/version/Kind`) never validated against a schema.
    public var skipKinds: Set<String> = []
    public var rules = RuleSettings()
    /// URLs that mean this repository, beside the remotes in `.git/config`.
    public var repositoryURLs: [String] = []
    /// Where Flux and Argo CD paths start; default: the root of the repository holding the
    /// object that names them (the nearest folder above it with `.git` or `.capstan.yaml`),
    /// else the single directory given, else ".".
    public var repositoryRoot: String?
    /// Render kustomizations (`kustomize build` or `kubectl kustomize`) and validate the output.
    public var kustomize = false
    /// Render Helm charts with `helm template` and validate the output.
    public var helm = false
    /// The helm executable; default: `helm` on PATH.
    public var helmBinary: String?
    /// `--render-optional`: when the renderer --kustomize or --helm needs is not installed,
    /// validate without rendering and say so in a note, instead of failing (exit 2).
    public var renderOptional = false
    /// Worker threads; default: the machine's cores.
    public var concurrency: Int?

    public init(paths: [String]) {
        self.paths = paths
    }
}
