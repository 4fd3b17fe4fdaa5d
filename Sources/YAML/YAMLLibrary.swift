internal import CYAML

/// Facts about the linked libyaml.
public enum YAMLLibrary {
    /// e.g. "0.2.5".
    public static var version: String { String(cString: yaml_get_version_string()) }
}
