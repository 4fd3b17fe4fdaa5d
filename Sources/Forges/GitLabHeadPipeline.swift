extension GitLabForge {
    /// The MR's `head_pipeline` (single-MR answers carry it) as one check, counted only when it
    /// ran on the head itself: a pipeline of an older head says nothing of this one, so the
    /// head's own pipeline is waited on. success and skipped are green, failed and canceled red,
    /// the rest (created, pending, running, manual, scheduled, …) pending.
    static func headPipeline(_ json: JSONValue, head: String) throws(ForgeError) -> Check? {
        let pipeline = json["head_pipeline"]
        guard pipeline.exists else { return nil }
        let status = try pipeline.string("status")
        let sha = try pipeline.string("sha")
        let name = "pipeline" + (pipeline["id"].int.map { " #\($0)" } ?? "")
        guard sha == head else {
            return Check(name: name, state: .pending, detail: "\(status) on \(sha.prefix(12)), not on the head: waiting for the head's pipeline")
        }
        let state: CheckState = ["success", "skipped"].contains(status) ? .success : ["failed", "canceled"].contains(status) ? .failure : .pending
        return Check(name: name, state: state, detail: status)
    }
}
