"""Writes the (pattern, texts) cases Go's regexp answers in go-answers.json (see oracle.go):
the `pattern`s of the bundled schemas, hand-written edge cases of RE2 syntax, and random
patterns over a small alphabet (seeded, so the file is reproducible)."""
import json, random, sys

BUNDLED_TEXTS = ["", "a", "abc", "my-app", "my.app.io", "-a", "a-", "A1", "http://x", "https://example.com/a",
                 "oci://registry/chart", "ssh://git@host/x", "socks5://p:1080", "1h30m", "90s", "1.5ms", "10Gi",
                 "100m", "1e3", "team/app", "example.com/Kind", "*.example.com", "*", "Sunday", "saturday",
                 "JANUARY", "march:april", "12", "13", "08:30", "24:00", "a@b.iam.gserviceaccount.com",
                 "@artifact/x", "@my-ns/path", "x.json", "dir/*.yaml", "2000:2001", "2000", "key:value",
                 "a b", "tab\there", "line\n", "\n", "é", "日本", "Hostname", "a[1]", "50%", "%zz", "~!$&'()*+,;=:@"]

EDGE = [
    # anchors: Go's $ is the end of the text only, unless (?m)
    ("^a$", ["a", "a\n", "ba"]), ("(?m)^a$", ["a", "a\n", "b\na\nc", "ba"]), ("a$", ["a\n", "ba"]),
    (r"\Aa\z", ["a", "a\n"]), ("(?m)a$", ["a\nb", "ab"]),
    # dot and newline
    ("a.c", ["abc", "a\nc"]), ("(?s)a.c", ["a\nc"]), ("[^a]", ["\n", "a"]),
    # flags
    ("(?i)abc", ["ABC", "aBc", "abd"]), ("a(?i)b", ["aB", "AB"]), ("(?i:a)b", ["Ab", "AB"]),
    ("(a(?i)b)c", ["aBc", "aBC"]), ("(?i)[a-c]+", ["ABC", "abc", "d"]), ("(?i)k", ["K", "\u212a"]),
    ("(?i)é", ["É", "é", "e"]), ("(?im-s:^a.)", ["x\nA\n", "xA\n"]), ("(?U)a+", ["aaa"]),
    # classes
    (r"\d+", ["123", "abc", "٣"]), (r"\w+", ["_a1", "é", "-"]), (r"\s", [" ", "\t", "\v", "\u00a0"]),
    (r"[\d-z]", ["-", "5", "y", "z"]), ("[]a]", ["]", "a", "b"]), ("[^]a]", ["]", "b"]), ("[a-]", ["-", "b"]),
    ("[[:alpha:]]+", ["abc", "123"]), ("[[:^digit:]]", ["1", "a"]), (r"[\W]", ["a", "!"]), (r"[^\D]", ["1", "a"]),
    (r"\pL", ["a", "1", "é"]), (r"\p{Lu}", ["A", "a"]), (r"\PL", ["a", "1"]), (r"\p{^L}", ["a", "1"]), (r"[\p{N}x]", ["x", "7", "y"]),
    (r"\x41", ["A"]), (r"\x{1F600}", ["\U0001F600"]), (r"\101", ["A"]), (r"\0", ["\x00", "0"]), (r"\Q.*\E", [".*", "ab"]),
    (r"\.", [".", "a"]), (r"\/", ["/"]), (r"\-", ["-"]), (r"\_", ["_"]),
    # boundaries
    (r"\bfoo\b", ["foo", "a foo b", "foobar"]), (r"\Boo\B", ["foox", "foo"]),
    # repetition
    ("a{2}", ["a", "aa"]), ("^a{2,3}$", ["a", "aa", "aaa", "aaaa"]), ("^a{2,}$", ["a", "aaaaa"]), ("a{,2}", ["a{,2}", "aa"]),
    ("a{", ["a{"]), ("{", ["{"]), ("a{x}", ["a{x}"]), ("^(a|b)*?c$", ["ababc", "abd"]), ("^(a*)*$", ["aaa", "b"]),
    ("^(a+)+$", ["a" * 40 + "!", "a" * 40]), ("^(a|a)*$", ["a" * 50 + "b"]), ("()", ["", "x"]), ("a|", ["", "b"]),
    ("^(?P<name>a)b", ["ab"]), ("^(?<name>a)b", ["ab"]), ("(?:ab)+", ["abab"]), ("a{1000}", ["a"]),
    ("^[0-9]{1,5}$", ["12345", "123456"]),
    # what Go refuses
    ("a**", []), ("a++", []), ("*a", []), ("(a", []), ("a)", []), ("[a", []), ("a{1001}", []), (r"\1", []), ("(a)\\1", []),
    ("(?=a)", []), ("(?!a)", []), ("(?<=a)b", []), ("(?<!a)b", []), (r"\y", []), (r"\p{Greek}", []), ("[z-a]", []),
    ("x{2}{3}", []), ("a*{2}", []), ("\\", []), (r"\8", []), ("[[:foo:]]", []), ("(?z)", []),
    # found by an adversarial review (2026-12-04): nested counts, empty bodies, count syntax
    (r"^([a-zA-Z0-9-]{1,63}\.){1,127}[a-zA-Z]{2,63}$", []), (r"^(?:[A-Za-z0-9+/]{4}){1,256}$", []), ("(a{40}){40}", []),
    ("(a{10}){100}", ["a" * 1000, "a" * 999]), ("((a{2}){2}){250}", ["a" * 1000]), ("(?:(?:(?:(?:){1000}){1000}){1000}){1000}", []),
    ("(?:(?:){1000}){1}", ["", "x"]), ("a{2,1}", []), ("^a{01}$", ["a", "a{01}"]), ("^a{0}$", ["", "a"]), ("^(a{0}){1000}$", [""]),
    ("(?i-)a", []), ("(?-)", []), ("(?-:a)", []), ("(?i-s:a.)", ["A\n", "Ab"]), ("(?)", ["", "a"]),
    ("(?P<>a)", []), ("(?<>a)", []), ("(?P<a-b>x)", []), ("(?P<\u00e9>x)", []), ("(?P<n>a)(?P<n>b)", ["ab"]), ("(?P<n_1>a)", ["a"]),
    ("\\x4", []), ("\\x+1", []), ("\\x{+41}", []), ("\\x{-0}", []), ("\\x{}", []), ("\\x{0000000041}", ["A"]), ("\\x{110000}", []),
    ("[[:a:b:]]", []), ("[[:alpha]x[:digit:]]", []), ("[[:alpha]", ["[", "a", ":"]), ("[[:]", ["[", ":"]),
    (r"^\Qab\E*$", ["abb", "abab", "", "a"]), (r"^\Qa.b\E(?i)+$", ["a.bB"]),
    (r"(?i)\p{Lu}", ["a", "1"]), (r"(?i)\P{Lu}", ["a", "1"]), (r"(?i)\pL", ["\u0345"]), ("(?i)[[:^upper:]]", ["A", "1"]),
    (r"(?i)[\W]", ["\u212a", "k", "!"]), (r"(?i)[^\W]", ["\u212a", "!"]), (r"(?i)\W", ["\u212a", "!"]),
    ("(?i)\u017f", ["s", "S"]), (r"(?i)\x{212A}", ["K", "k"]), ("(?i)\u03c3", ["\u03c2", "\u03a3"]), ("(?i)\u00b5", ["\u03bc", "\u039c"]),
    ("(?i)\u00df", ["\u1e9e", "s"]), ("(?i)\u03c9", ["\u2126"]), ("(?i)\u00e5", ["\u212b"]), ("(?i)\u01c6", ["\u01c5", "\u01c4"]),
    ("(?i)\u0131", ["I", "i"]), ("(?i)\u0130", ["i", "I"]), ("(?i)i", ["\u0130", "\u0131"]),
    (r"(?i)[\x{80}-\x{FFFF}]", ["k", "s", "\u00b5", "a"]), (r"(?i)[\x{100}-\x{3FF}]", ["k", "s", "\u00b5"]),
    ("(?i)[k-s]", ["\u212a", "\u017f", "K"]), ("(?i)[^k]", ["\u212a", "K", "a"]),
]

def random_pattern(rng, depth=0):
    choice = rng.random()
    if depth > 3 or choice < 0.3:
        return rng.choice(["a", "b", ".", "[ab]", "[^a]", "\\d", "\\w", "-", "\\.", "^", "$", "[a-c]", "x"])
    if choice < 0.5:
        return random_pattern(rng, depth + 1) + random_pattern(rng, depth + 1)
    if choice < 0.65:
        return random_pattern(rng, depth + 1) + "|" + random_pattern(rng, depth + 1)
    if choice < 0.8:
        return "(" + random_pattern(rng, depth + 1) + ")" + rng.choice(["*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", ""])
    return "(?:" + random_pattern(rng, depth + 1) + ")" + rng.choice(["*", "+", "?", "{0,2}"])

def main():
    bundled = json.load(open(sys.argv[1])) if len(sys.argv) > 1 else []
    rng = random.Random(20261204)
    patterns, texts = [], []
    for pattern in bundled:
        patterns.append(pattern); texts.append(BUNDLED_TEXTS)
    for pattern, samples in EDGE:
        patterns.append(pattern); texts.append(samples)
    for _ in range(1200):
        patterns.append(random_pattern(rng))
        texts.append(["".join(rng.choice("ab.-x1\n") for _ in range(rng.randrange(0, 7))) for _ in range(6)])
    json.dump({"patterns": patterns, "texts": texts}, sys.stdout)

main()
