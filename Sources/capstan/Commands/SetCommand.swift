import ArgumentParser
import Edits
import Steps
import YAML

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Edit image references, chart versions and values in a working tree, changing only the bytes that must change.",
        discussion: """
        Works on files on disk (no Git needed), prints a unified diff of what changed and exits 0
        whether or not anything changed ("nothing to change" when the tree is already there).
        Comments, quoting, indentation, key order, anchors and `---` separators all survive.

        Examples:
          capstan set image ghcr.io/acme/checkout:1.5.0 --path envs/ --dry-run
          capstan set chart redis 18.7.0
        """,
        subcommands: [SetImageCommand.self, SetChartCommand.self, SetValueCommand.self]
    )
}

/// Options every `set` subcommand shares.
struct SetOptions: ParsableArguments {
    @Option(help: "The tree to edit; no path may leave it.")
    var root: String = "."

    @Flag(help: "Print the diff, write nothing.")
    var dryRun = false

    @Option(help: "text (a diff on stdout, a summary on stderr) or json.")
    var output: OutputFormat = .text

    func run(_ plan: EditPlan) throws {
        let outcome = try failing { () throws(EditError) in
            try SetStep(root: root, plan: plan, dryRun: dryRun).run()
        }
        emit(outcome, as: output)
    }
}

struct SetImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Set an image's tag, digest or name everywhere the tree references it.",
        discussion: """
        Finds container and initContainer images in any workload (Deployment, StatefulSet,
        DaemonSet, Job, CronJob, Pod, Argo Rollout, ...), kustomization `images:` entries,
        Helm values (`image.repository`/`image.tag`/`image.digest`, `image.registry`, at any
        depth, in values files and HelmRelease `spec.values`), Argo CD `kustomize.images` and
        Image Updater write-back files, and Flux setter markers (# {"$imagepolicy": "ns:policy"}).
        Names match however they are spelled: nginx = docker.io/library/nginx.

        A new tag drops an old digest; a digest alone gives NAME@DIGEST; both give NAME:TAG@DIGEST.

        Examples:
          capstan set image ghcr.io/stefanprodan/podinfo:6.7.1
          capstan set image nginx=registry.example.com/mirror/nginx:1.27@sha256:<64 hex> --path apps/ --dry-run
        """
    )

    @Argument(help: ArgumentHelp("One or more images.", valueName: "NAME[=NEWNAME][:TAG][@DIGEST]"))
    var images: [String]

    @Option(name: .customLong("path"), help: "A file or directory to search (repeatable; default: the whole tree).")
    var paths: [String] = []

    @OptionGroup var options: SetOptions

    func validate() throws {
        for image in images {
            do { _ = try ImageUpdate.parse(image) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let updates = try images.map { image in try failing { () throws(EditError) in try ImageUpdate.parse(image) } }
        var searched = paths
        if searched.isEmpty, let config = try failing({ () throws(ConfigError) in try RepositoryConfig.load(near: options.root) }) {
            // .capstan.yaml `images:` names where each image lives; an image it does not name is looked for everywhere.
            let configured = updates.map { update in
                config.imagePaths.first { ImageReference($0.key).map(update.matches) == true }?.value.value
            }
            if configured.allSatisfy({ $0 != nil }) { searched = configured.flatMap { $0 ?? [] }.map(config.resolve) }
        }
        try options.run(EditPlan(edits: updates.map(Edit.image), paths: searched))
    }
}

struct SetChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Set a Helm chart's version wherever the tree pins it.",
        discussion: """
        Flux HelmRelease spec.chart.spec.version (and HelmChart, OCIRepository spec.ref.tag),
        Argo CD Application and ApplicationSet Helm sources (chart + targetRevision, single and
        multi-source), Chart.yaml dependencies[] with their Chart.lock entries, and with
        --chart-yaml a chart's own version (--app-version for its appVersion).

        Examples:
          capstan set chart ingress-nginx 4.11.0
          capstan set chart checkout 0.4.0 --chart-yaml --app-version 1.5.0 --path charts/checkout
        """
    )

    @Argument(help: "The chart's name.")
    var name: String

    @Argument(help: "The version to pin.")
    var version: String

    @Flag(help: "Also set `version` in the chart's own Chart.yaml.")
    var chartYaml = false

    @Option(help: "Also set `appVersion` in the chart's own Chart.yaml.")
    var appVersion: String?

    @Option(name: .customLong("path"), help: "A file or directory to search (repeatable; default: the whole tree).")
    var paths: [String] = []

    @OptionGroup var options: SetOptions

    func run() throws {
        let update = try failing { () throws(EditError) in
            try ChartUpdate(name: name, version: version, ownChartYAML: chartYaml, appVersion: appVersion)
        }
        try options.run(EditPlan(edits: [.chart(update)], paths: paths))
    }
}

extension ValueIntent: ExpressibleByArgument {}

struct SetValueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value",
        abstract: "Set values at key paths in one YAML or JSON file.",
        discussion: """
        Paths are dotted, with list indices and selectors: spec.template.spec.containers[0].image,
        containers[name=app].image, metadata.annotations["example.com/key"]. A missing mapping key
        is created in the file's own indentation style. A value keeps the type its scalar has
        (an integer stays an integer when the new text is one); anything else is written so YAML
        reads a string. --type forces int, bool, float or string.

        Examples:
          capstan set value envs/prod/config.yaml image.tag=1.4.3 replicas=4
          capstan set value envs/dev/config.json image.tag=1.10 --type string
        """
    )

    @Argument(help: "The file to edit.")
    var file: String

    @Argument(help: ArgumentHelp("One or more assignments.", valueName: "KEY=VALUE"))
    var assignments: [String]

    @Option(help: "keep (default: the scalar's current type when the value fits, else string), string, int, bool or float.")
    var type: ValueIntent = .keepType

    @Option(help: "Which document of a multi-document file (0-based).")
    var document: Int?

    @OptionGroup var options: SetOptions

    func run() throws {
        let updates = try assignments.map { assignment in
            try failing { () throws(EditError) in
                try ValueUpdate.parse(file: file, assignment: assignment, intent: type, document: document)
            }
        }
        try options.run(EditPlan(edits: updates.map(Edit.value)))
    }
}
