import ArgumentParser
import Edits

/// The edits `update` applies, in the same forms `capstan set` takes.
struct EditOptions: ParsableArguments {
    @Option(name: .customLong("set-image"), help: ArgumentHelp("Set an image (repeatable).", valueName: "NAME[=NEWNAME][:TAG][@DIGEST]"))
    var images: [String] = []

    @Option(name: .customLong("set-chart"), help: ArgumentHelp("Set a chart's version (repeatable).", valueName: "NAME=VERSION"))
    var charts: [String] = []

    @Option(name: .customLong("set-value"), help: ArgumentHelp("Set a value in a file (repeatable).", valueName: "FILE:KEY=VALUE"))
    var values: [String] = []

    @Option(name: .customLong("path"), help: "Where image and chart edits look (repeatable; default: the whole repository).")
    var paths: [String] = []

    func validate() throws {
        if images.isEmpty && charts.isEmpty && values.isEmpty {
            throw ValidationError("give at least one edit: --set-image, --set-chart or --set-value")
        }
        do { _ = try plan() } catch { throw ValidationError(error.description) }
    }

    func plan() throws(EditError) -> EditPlan {
        var edits: [Edit] = []
        for image in images { edits.append(.image(try ImageUpdate.parse(image))) }
        for chart in charts {
            let parts = chart.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw .invalidChartVersion(chart, reason: "expected NAME=VERSION") }
            edits.append(.chart(try ChartUpdate(name: parts[0], version: parts[1])))
        }
        for value in values {
            guard let colon = value.firstIndex(of: ":") else { throw .invalidAssignment(value, reason: "expected FILE:KEY=VALUE") }
            edits.append(.value(try ValueUpdate.parse(file: String(value[..<colon]), assignment: String(value[value.index(after: colon)...]))))
        }
        return EditPlan(edits: edits, paths: paths)
    }
}
