/// What rendering overlays or charts added to a run: findings mapped to source files,
/// notes (a missing tool), and the rendered resources' counts.
struct RenderOutcome {
    var findings: [Finding] = []
    var notes: [String] = []
    var resources = 0
    var valid = 0
    var invalid = 0
}
