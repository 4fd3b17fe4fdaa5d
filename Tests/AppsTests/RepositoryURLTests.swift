import Apps
import Foundation
import Testing

/// Which URLs name this repository: the forms Argo CD, Flux and Git remotes use compare equal.
@Suite struct RepositoryURLTests {
    @Test func httpsScpAndSSHFormsOfOneRepositoryAreEqual() {
        let forms = ["https://github.com/acme/release-repo.git", "https://GitHub.com/acme/release-repo/", "git@github.com:acme/release-repo.git",
                     "ssh://git@github.com:22/acme/release-repo", "https://token@github.com/acme/release-repo"]
        #expect(Set(forms.map { RepositoryURL($0).key }) == ["github.com/acme/release-repo"])
    }

    @Test func anotherOwnerIsAnotherRepository() {
        #expect(RepositoryURL("https://github.com/acme/release-repo") != RepositoryURL("https://github.com/other/release-repo"))
    }

    @Test func remotesAreReadFromALinkedWorkTreesCommonConfiguration() throws {
        let root = try Fixtures.temporaryDirectory("remotes")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let common = "\(root)/main.git"
        try FileManager.default.createDirectory(atPath: "\(common)/worktrees/feature", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(root)/feature", withIntermediateDirectories: true)
        try """
        [core]
        \tbare = false
        [remote "origin"]
        \turl = git@github.com:acme/release-repo.git
        \tfetch = +refs/heads/*:refs/remotes/origin/*
        [remote "mirror"]
        \turl = https://gitlab.example.com/acme/release-repo.git
        """.write(toFile: "\(common)/config", atomically: true, encoding: .utf8)
        try "../..\n".write(toFile: "\(common)/worktrees/feature/commondir", atomically: true, encoding: .utf8)
        try "gitdir: \(common)/worktrees/feature\n".write(toFile: "\(root)/feature/.git", atomically: true, encoding: .utf8)
        #expect(RepositoryURL.remotes(ofWorkTree: "\(root)/feature") == [
            "git@github.com:acme/release-repo.git", "https://gitlab.example.com/acme/release-repo.git",
        ])
    }
}
