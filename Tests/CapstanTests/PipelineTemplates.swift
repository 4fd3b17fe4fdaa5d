import CapstanTestSupport
import Foundation

/// Fills a CI's template syntax the way that CI does before a shell sees the text:
/// GitHub/Gitea `${{ expr }}`, Azure Pipelines `$(Name)` macros, Tekton `$(params.x)`,
/// Argo Workflows `{{workflow.parameters.x}}`. A name the test did not give a value is an
/// error (so a typo in a pipeline fails the suite), except where the CI itself leaves it:
/// Actions step and job outputs that were never set are empty, and an Azure macro that
/// names no variable stays as written (it may be the shell's `$(command)`).
struct TemplateExpander {
    enum Syntax {
        case actions, azure, tekton, argo

        var pattern: String {
            switch self {
            case .actions: #"\$\{\{\s*(.*?)\s*\}\}"#
            case .azure: #"\$\(([A-Za-z_][A-Za-z0-9_.]*)\)"#
            case .tekton: #"\$\((params\.[A-Za-z0-9_-]+)\)"#
            case .argo: #"\{\{\s*([^}]+?)\s*\}\}"#
            }
        }
    }

    let syntax: Syntax
    var values: [String: String]

    func value(_ name: String) throws -> String? {
        if let value = values[name] { return value }
        switch syntax {
        case .actions where name.hasPrefix("steps.") || name.hasPrefix("needs."): return ""
        case .azure: return values.first { $0.key.lowercased() == name.lowercased() }?.value
        default: throw FixtureError("the pipeline uses \(name), which the test gives no value")
        }
    }

    func expand(_ text: String) throws -> String {
        let expression = try NSRegularExpression(pattern: syntax.pattern)
        var result = ""
        var last = text.startIndex
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let whole = Range(match.range, in: text), let inner = Range(match.range(at: 1), in: text) else { continue }
            result += text[last..<whole.lowerBound]
            result += try value(String(text[inner])) ?? String(text[whole])
            last = whole.upperBound
        }
        return result + text[last...]
    }
}

/// The small part of each CI's condition language the example pipelines use.
enum PipelineCondition {
    /// GitHub/Gitea `if:`: `&&` of `success()`, `failure()`, `always()` and `x == 'v'` /
    /// `x != 'v'`; without a status function, `success() &&` is implied, as on GitHub.
    /// For a step, `succeeded` is `!failed`; for a job, `succeeded` means every job it
    /// needs succeeded (a skipped one did not) and `failed` that one it depends on failed.
    static func actions(_ condition: String?, succeeded: Bool, failed: Bool, expander: TemplateExpander) throws -> Bool {
        guard var text = condition?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return succeeded }
        if text.hasPrefix("${{") && text.hasSuffix("}}") { text = String(text.dropFirst(3).dropLast(2)) }
        var statusFunction = false
        var holds = true
        for term in text.components(separatedBy: "&&").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch term {
            case "success()": statusFunction = true; holds = holds && succeeded
            case "failure()": statusFunction = true; holds = holds && failed
            case "always()": statusFunction = true
            default:
                let parts = term.components(separatedBy: term.contains("!=") ? "!=" : "==").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[1].hasPrefix("'"), parts[1].hasSuffix("'") else { throw FixtureError("cannot evaluate \(term)") }
                let equal = try expander.value(parts[0]) == String(parts[1].dropFirst().dropLast())
                holds = holds && (term.contains("!=") ? !equal : equal)
            }
        }
        return holds && (statusFunction || succeeded)
    }

    /// Azure Pipelines `condition:`: `and`, `or`, `not`, `eq`, `ne`, `succeeded()`,
    /// `failed()`, `always()`, `variables['name']` and quoted literals.
    static func azure(_ condition: String?, failed: Bool, variables: [String: String]) throws -> Bool {
        var text = Substring(condition ?? "succeeded()")
        let value = try azureValue(&text, failed: failed, variables: variables)
        return value == "True"
    }

    private static func azureValue(_ text: inout Substring, failed: Bool, variables: [String: String]) throws -> String {
        text = text.drop { $0 == " " }
        if text.hasPrefix("'") {
            text = text.dropFirst()
            let literal = text.prefix { $0 != "'" }
            text = text.dropFirst(literal.count + 1)
            return String(literal)
        }
        if text.hasPrefix("variables['") {
            text = text.dropFirst("variables['".count)
            let name = text.prefix { $0 != "'" }
            text = text.dropFirst(name.count + 2)
            return variables.first { $0.key.lowercased() == name.lowercased() }?.value ?? ""
        }
        let name = text.prefix { $0 != "(" }
        text = text.dropFirst(name.count + 1)
        var arguments: [String] = []
        while !text.hasPrefix(")") {
            arguments.append(try azureValue(&text, failed: failed, variables: variables))
            text = text.drop { $0 == " " || $0 == "," }
        }
        text = text.dropFirst()
        let truth = { (holds: Bool) in holds ? "True" : "False" }
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "succeeded": return truth(!failed)
        case "failed": return truth(failed)
        case "always": return "True"
        case "and": return truth(arguments.allSatisfy { $0 == "True" })
        case "or": return truth(arguments.contains("True"))
        case "not": return truth(arguments.first != "True")
        case "eq": return truth(arguments.count == 2 && arguments[0].lowercased() == arguments[1].lowercased())
        case "ne": return truth(arguments.count == 2 && arguments[0].lowercased() != arguments[1].lowercased())
        default: throw FixtureError("cannot evaluate the Azure condition function \(name)")
        }
    }
}
