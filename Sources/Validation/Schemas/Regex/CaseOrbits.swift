/// The simple case-folding orbits `(?i)` matches by, as Go's `unicode.SimpleFold` walks them:
/// k K K (Kelvin sign), s S ſ, σ ς Σ, µ Μ μ… Built once from the standard library's
/// one-scalar case mappings (about 3,000 cased scalars, a few milliseconds), joined into
/// orbits. The Turkic dotted and dotless i (U+0130, U+0131) are left out: their case
/// mappings are not case foldings, and Go folds neither.
enum CaseOrbits {
    private struct Table {
        /// Sorted scalar values that have an orbit, and each one's orbit (itself included).
        var keys: [UInt32] = []
        var orbits: [[UInt32]] = []
    }

    private static let table: Table = build()

    private static func build() -> Table {
        var parent: [UInt32: UInt32] = [:]
        func root(_ value: UInt32) -> UInt32 {
            var value = value
            while let next = parent[value], next != value { value = next }
            return value
        }
        func join(_ value: UInt32, _ other: UInt32) {
            if parent[value] == nil { parent[value] = value }
            if parent[other] == nil { parent[other] = other }
            let (a, b) = (root(value), root(other))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        for value in UInt32(0)...0x1FFFF where value != 0x130 && value != 0x131 {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else { continue }
            let properties = scalar.properties
            for mapping in [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping] {
                let scalars = mapping.unicodeScalars
                guard scalars.count == 1, let other = scalars.first?.value, other != value, other != 0x130, other != 0x131 else { continue }
                join(value, other)
            }
        }
        // Simple case foldings (CaseFolding.txt, status S) that no one-scalar case mapping
        // gives: ΐ ~ ΐ, ΰ ~ ΰ, ﬅ ~ ﬆ (their case mappings are several scalars).
        for (value, other) in [(UInt32(0x390), UInt32(0x1FD3)), (0x3B0, 0x1FE3), (0xFB05, 0xFB06)] { join(value, other) }
        var members: [UInt32: [UInt32]] = [:]
        for value in parent.keys { members[root(value), default: []].append(value) }
        var table = Table()
        for value in parent.keys.sorted() {
            table.keys.append(value)
            table.orbits.append((members[root(value)] ?? []).sorted())
        }
        return table
    }

    /// The orbit of `value` (itself included), or nil when it has no other case.
    static func orbit(of value: UInt32) -> [UInt32]? {
        let keys = table.keys
        let index = lowerBound(value)
        return index < keys.count && keys[index] == value ? table.orbits[index] : nil
    }

    /// Every scalar whose case partners `range` brings in: the orbits of its cased members.
    static func partners(in range: ClosedRange<UInt32>) -> [UInt32] {
        var result: [UInt32] = []
        var index = lowerBound(range.lowerBound)
        while index < table.keys.count, table.keys[index] <= range.upperBound {
            result += table.orbits[index]
            index += 1
        }
        return result
    }

    /// Every orbit, for comparing with Go's.
    static var allOrbits: [[UInt32]] { table.orbits }

    private static func lowerBound(_ value: UInt32) -> Int {
        var low = 0, high = table.keys.count
        while low < high {
            let middle = (low + high) / 2
            if table.keys[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
