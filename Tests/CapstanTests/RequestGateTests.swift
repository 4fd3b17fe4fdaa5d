import Testing
@testable import Forges

/// Requests made with one token go one at a time, even from many tasks at once.
@Suite struct RequestGateTests {
    actor Overlap {
        private var inside = 0
        private(set) var most = 0
        func begin() { inside += 1; most = max(most, inside) }
        func end() { inside -= 1 }
    }

    @Test func tasksThroughOneGateNeverOverlap() async {
        let gate = RequestGate()
        let overlap = Overlap()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    await gate.enter()
                    await overlap.begin()
                    await Task.yield()
                    await overlap.end()
                    await gate.leave()
                }
            }
        }
        #expect(await overlap.most == 1)
    }

    @Test func oneTokenMeansOneClientAndSoOneGate() throws {
        let location = ForgeLocation(kind: .github, apiURL: "https://api.github.com", project: "acme/release")
        let first = try #require(try ForgeClients.make(location, token: "t1") as? GitHubForge)
        let again = try #require(try ForgeClients.make(location, token: "t1") as? GitHubForge)
        let other = try #require(try ForgeClients.make(location, token: "t2") as? GitHubForge)
        #expect(first.client === again.client)
        #expect(first.client !== other.client)
    }
}
