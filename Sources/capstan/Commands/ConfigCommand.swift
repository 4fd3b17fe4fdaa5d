import ArgumentParser
import Steps

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the repository configuration (.capstan.yaml) Capstan uses.",
        discussion: """
        Examples:
          capstan config explain
          capstan config explain --root ../release-repo --output json
        """,
        subcommands: [ExplainCommand.self]
    )

    struct ExplainCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Print every setting, its effective value and where it comes from.",
            discussion: """
            Capstan reads the nearest .capstan.yaml from the given directory up to the repository
            root. Flags given to a command win over the file; the file wins over the defaults.

            Examples:
              capstan config explain
              capstan config explain --root ../release-repo --output json
            """
        )

        @Option(help: "Where to look for .capstan.yaml (and up to the repository root).")
        var root: String = "."

        @Option(help: "text or json.")
        var output: OutputFormat = .text

        func run() throws {
            let config = try failing { () throws(ConfigError) in try RepositoryConfig.load(near: root) }
            emit(ConfigExplanation(config: config), as: output)
        }
    }
}
