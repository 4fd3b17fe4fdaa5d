import Validation
import YAML

extension ValidationOptions {
    /// Fills what the command line left unset from .capstan.yaml: scalar settings only
    /// when no flag gave them, lists only when the flag gave none, switches turned on by
    /// either, rule settings from the file first and the flags' over them.
    public mutating func adopt(_ config: RepositoryConfig) throws(ConfigError) {
        if kubernetesVersion == nil { kubernetesVersion = config.strings["validate.kubernetesVersion"]?.value }
        strict = strict || config.flags["validate.strict"]?.value == true
        kustomize = kustomize || config.flags["validate.kustomize"]?.value == true
        if schemaDirectories.isEmpty { schemaDirectories = config.lists["validate.schemaDirs"]?.value.map(config.resolve) ?? [] }
        if crdFiles.isEmpty { crdFiles = config.lists["validate.crds"]?.value.map(config.resolve) ?? [] }
        if exclude.isEmpty { exclude = config.lists["validate.exclude"]?.value ?? [] }
        if skipKinds.isEmpty { skipKinds = Set(config.lists["validate.skipKinds"]?.value ?? []) }
        if repositoryURLs.isEmpty { repositoryURLs = config.lists["validate.repoURLs"]?.value ?? [] }
        guard let rules = config.maps["validate.rules"] else { return }
        var settings = RuleSettings()
        for (name, level) in rules.value {
            let at = SourceLocation(file: config.path, line: rules.line, column: 1)
            guard let rule = RuleID(rawValue: name) else {
                throw .wrongType(at: at, key: "validate.rules.\(name)", expected: "a rule id (\(RuleID.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if level == "off" {
                settings.disabled.insert(rule)
            } else if let severity = Severity(rawValue: level) {
                settings.enabled.insert(rule)
                settings.severities[rule] = severity
            } else {
                throw .wrongType(at: at, key: "validate.rules.\(name)", expected: "off, error, warning or info")
            }
        }
        // The command line's own choices win.
        settings.disabled.subtract(self.rules.enabled)
        settings.disabled.formUnion(self.rules.disabled)
        settings.enabled.formUnion(self.rules.enabled)
        settings.enabled.subtract(self.rules.disabled)
        settings.severities.merge(self.rules.severities) { $1 }
        self.rules = settings
    }
}

