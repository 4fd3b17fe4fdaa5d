/// A unified diff (`diff -u` layout, three lines of context) between two versions of a
/// file, computed line by line with Myers' O((N+M)·D) algorithm, which is quick when, as
/// here, D (the number of changed lines) is small.
public enum UnifiedDiff {
    public static func make(from old: [UInt8], to new: [UInt8], path: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        let script = editScript(a, b)
        guard script.contains(where: { $0.kind != .same }) else { return "" }
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        var index = 0
        while index < script.count {
            guard let changeStart = script[index...].firstIndex(where: { $0.kind != .same }) else { break }
            var hunkEnd = changeStart
            var lastChange = changeStart
            while hunkEnd < script.count {
                if script[hunkEnd].kind != .same { lastChange = hunkEnd }
                if hunkEnd - lastChange > context * 2 { break }
                hunkEnd += 1
            }
            let start = max(index, changeStart - context)
            let end = min(script.count, lastChange + context + 1)
            let hunk = script[start..<end]
            let oldStart = (hunk.first?.oldLine ?? 0)
            let newStart = (hunk.first?.newLine ?? 0)
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for line in hunk {
                let marker = line.kind == .same ? " " : line.kind == .delete ? "-" : "+"
                let text = line.kind == .insert ? b[line.newLine] : a[line.oldLine]
                out += marker + String(decoding: text, as: UTF8.self)
                if text.last != 0x0A { out += "\n\\ No newline at end of file\n" }
            }
            index = end
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for (offset, byte) in bytes.enumerated() where byte == 0x0A {
            result.append(bytes[start...offset])
            start = offset + 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    struct Line {
        enum Kind { case same, delete, insert }
        let kind: Kind
        let oldLine: Int
        let newLine: Int
    }

    static func editScript(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>]) -> [Line] {
        // Trim the common head and tail; Myers runs on the middle only.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let n = a.count - head - tail
        let m = b.count - head - tail
        var script: [Line] = (0..<head).map { Line(kind: .same, oldLine: $0, newLine: $0) }
        script += middle(a, b, head: head, n: n, m: m)
        script += (0..<tail).map { Line(kind: .same, oldLine: a.count - tail + $0, newLine: b.count - tail + $0) }
        return script
    }

    private static func middle(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>], head: Int, n: Int, m: Int) -> [Line] {
        if n == 0 { return (0..<m).map { Line(kind: .insert, oldLine: head, newLine: head + $0) } }
        if m == 0 { return (0..<n).map { Line(kind: .delete, oldLine: head + $0, newLine: head) } }
        let offset = n + m
        var v = [Int](repeating: 0, count: 2 * offset + 2)
        var trace: [[Int]] = []
        search: for d in 0...offset {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[head + x] == b[head + y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m { trace.append(v); break search }
            }
        }
        // Walk back through the trace.
        var lines: [Line] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
            let previousX = v[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                lines.append(Line(kind: .same, oldLine: head + x, newLine: head + y))
            }
            if d > 0 {
                if x == previousX {
                    y -= 1
                    lines.append(Line(kind: .insert, oldLine: head + x, newLine: head + y))
                } else {
                    x -= 1
                    lines.append(Line(kind: .delete, oldLine: head + x, newLine: head + y))
                }
            }
        }
        return lines.reversed()
    }
}
