import Foundation
import Reconcilers
import Testing

/// Revisions as Flux and Argo CD print them, placed against the merge commit.
@Suite struct RevisionTests {
    static let merge = "1111111111111111111111111111111111111111"
    static let later = "2222222222222222222222222222222222222222"
    static let earlier = "0000000000000000000000000000000000000000"
    static let other = "9999999999999999999999999999999999999999"

    /// The history the tests pretend: earlier → merge → later; `other` on another branch.
    static let relating: CommitRelating = { sha in
        switch sha {
        case later, "2222222": .descendant
        case earlier, "000000000000": .ancestor
        case other: .unrelated
        default: .unknown
        }
    }

    @Test func fluxBranchAtSHA1() {
        let revision = FluxRevision("main@sha1:\(Self.merge)")
        #expect(revision?.reference == "main")
        #expect(revision?.relation(to: Self.merge, relating: Self.relating) == .target)
        #expect(FluxRevision("main@sha1:\(Self.later)")?.relation(to: Self.merge, relating: Self.relating) == .descendant)
        #expect(FluxRevision("main@sha1:\(Self.earlier)")?.relation(to: Self.merge, relating: Self.relating) == .ancestor)
    }

    @Test func fluxLegacyBranchSlashSHA() {
        #expect(FluxRevision("main/\(Self.merge)")?.relation(to: Self.merge, relating: Self.relating) == .target)
        #expect(FluxRevision("sha1:\(Self.merge)")?.commit == Self.merge)
    }

    @Test func helmChartVersionBuildMetadataMatchesByPrefix() {
        #expect(FluxRevision("0.1.0+111111111111")?.relation(to: Self.merge, relating: Self.relating) == .target)
        #expect(FluxRevision("0.1.0+2222222")?.relation(to: Self.merge, relating: Self.relating) == .descendant)
        #expect(FluxRevision("0.1.0") == nil)
        #expect(FluxRevision("v1.0.0@sha256:abc") == nil)
    }

    /// Flux names Git commits `sha1:` only (fluxcd/pkg git.Hash.Digest); `sha256:` is the
    /// content digest of an OCI artifact, ExternalArtifact or Bucket.
    @Test func sha256RevisionsAreArtifactDigestsNotCommits() {
        let digest = String(repeating: "a", count: 64)
        #expect(FluxRevision("latest@sha256:\(digest)") == nil)
        #expect(FluxRevision("sha256:\(digest)") == nil)
        #expect(FluxRevision(digest) == nil)
        #expect(FluxRevision("main/\(digest)") == nil)
    }

    @Test func aSHAThatIsNotHexIsNoRevision() {
        #expect(FluxRevision("main@sha1:" + String(repeating: "g", count: 40)) == nil)
        #expect(CommitSHA.full("ABCDEF0123456789ABCDEF0123456789ABCDEF01") == "abcdef0123456789abcdef0123456789abcdef01")
        #expect(CommitSHA.full("abc") == nil)
    }

    @Test func verdictSummaryShortensRevisions() {
        let verdict = AppVerdict(phase: .waiting, revision: "main@sha1:\(Self.merge)", relation: .target, ready: "Unknown (Progressing)")
        #expect(verdict.summary == "waiting, revision main@sha1:1111111 (target), ready Unknown (Progressing)")
    }
}
