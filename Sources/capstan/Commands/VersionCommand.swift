import ArgumentParser
import Steps

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Capstan's version and the versions of the libraries it is linked against.",
        discussion: """
        Examples:
          capstan version
          capstan version --output json
        """
    )

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    func run() throws {
        emit(VersionInfo(), as: output)
    }
}
