// Writes every simple case-folding orbit Go knows (unicode.SimpleFold), the oracle for
// CaseOrbits: go run folds.go > go-case-orbits.json
package main
import ("encoding/json";"os";"unicode";"runtime")
func main(){
  orbits := [][]int{}
  seen := map[rune]bool{}
  for r := rune(0); r <= 0x1FFFF; r++ {
    if seen[r] || unicode.SimpleFold(r) == r { continue }
    o := []int{}
    for f := r; ; { o = append(o, int(f)); seen[f] = true; f = unicode.SimpleFold(f); if f == r { break } }
    orbits = append(orbits, o)
  }
  json.NewEncoder(os.Stdout).Encode(map[string]any{"go": runtime.Version(), "unicode": unicode.Version, "orbits": orbits})
}
