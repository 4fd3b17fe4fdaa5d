// Answers Go's regexp gives for (pattern, text) pairs: the oracle Capstan's RE2-syntax
// matcher is checked against (Tests/ValidationTests/RegexTests.swift). Reads cases.json
// ({"patterns": [...], "texts": [[...], ...]}) on stdin, writes go-answers.json on stdout.
// Regenerate: python3 cases.py bundled-patterns.json | go run oracle.go > go-answers.json
// (bundled-patterns.json: a JSON list of every `pattern` and `patternProperties` key in
// Schemas/sources.tar.xz; the answers keep each pattern, so the list is not stored twice.)
package main

import (
	"encoding/json"
	"os"
	"regexp"
	"runtime"
)

type input struct {
	Patterns []string   `json:"patterns"`
	Texts    [][]string `json:"texts"`
}

type answer struct {
	Pattern string `json:"pattern"`
	Refused bool   `json:"refused,omitempty"`
	Matches []bool `json:"matches,omitempty"`
}

type output struct {
	Go      string   `json:"go"`
	Texts   [][]string `json:"texts"`
	Answers []answer `json:"answers"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := output{Go: runtime.Version(), Texts: in.Texts}
	for i, pattern := range in.Patterns {
		re, err := regexp.Compile(pattern)
		a := answer{Pattern: pattern}
		if err != nil {
			a.Refused = true
		} else {
			for _, text := range in.Texts[i] {
				a.Matches = append(a.Matches, re.MatchString(text))
			}
		}
		out.Answers = append(out.Answers, a)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
