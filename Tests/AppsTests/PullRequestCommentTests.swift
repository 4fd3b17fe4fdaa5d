import Apps
import Testing

/// The body `--comment` posts: a marker to find it again, then a table of affected apps.
@Suite struct PullRequestCommentTests {
    @Test func theBodyIsAMarkedTableOfAffectedApps() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.argocd)
        let affected = ChangeImpact.affected(by: ["envs/prod/ingress-values.yaml"], in: catalog)
        #expect(PullRequestComment.markdown(affected, range: "main..feature") == """
        <!-- capstan:apps -->
        ### Apps this change affects (`main..feature`)

        | App | Reconciler | Cluster | Namespace / project | Files |
        | --- | --- | --- | --- | --- |
        | ingress-nginx | Argo CD Application | https://kubernetes.default.svc | ingress-nginx, project default | `envs/prod/ingress-values.yaml` (helm-values) |

        1 app affected.

        """)
    }

    @Test func noAffectedAppsSaySo() {
        let body = PullRequestComment.markdown([], range: nil)
        #expect(body == "<!-- capstan:apps -->\n### Apps this change affects\n\nNo deployed app's desired state changes.\n")
    }

    @Test func eachDiffIsFoldedOnceWithTheAppsItTouches() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.argocd)
        let affected = ChangeImpact.affected(by: ["charts/checkout/values.yaml"], in: catalog)
        let diff = "--- a/charts/checkout/values.yaml\n+++ b/charts/checkout/values.yaml\n@@ -1 +1 @@\n-replicaCount: 1\n+replicaCount: 2\n"
        let body = PullRequestComment.markdown(affected, range: nil, diffs: ["charts/checkout/values.yaml": diff])
        #expect(body.hasSuffix("""
        3 apps affected.

        <details><summary><code>charts/checkout/values.yaml</code> — checkout-dev, checkout-prod, checkout-staging</summary>

        ```diff
        --- a/charts/checkout/values.yaml
        +++ b/charts/checkout/values.yaml
        @@ -1 +1 @@
        -replicaCount: 1
        +replicaCount: 2
        ```
        </details>

        """))
    }
}
