extension Check {
    /// An entry saying a source of checks (required checks, policies) could not be read with
    /// this token, so the checks that did report are all Capstan judged by. Its state is
    /// `none`: it counts for nothing in the summary, and `pr status` prints it.
    static func unreadable(_ what: String, because why: String) -> Check {
        Check(name: what, state: .none, detail: "cannot read them with this token (\(why)); judged by the checks that reported")
    }
}
