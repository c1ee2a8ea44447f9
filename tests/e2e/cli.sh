#!/bin/sh
# The command line as getopt_long reads it: --opt=value and --opt value,
# -j4 and -j 4, "--" before a draft whose name begins with "-", options
# written in full (an abbreviation is refused, with the full name), unknown
# options with "did you mean", and --format json for render and build.
# Usage: cli.sh KYODO TMPDIR; prints "ok - …" / "not ok - …" lines.
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/cli
rm -rf "$tmp" && mkdir -p "$tmp"
M=$(pwd)/tests/minimal.xml

ok() { echo "ok - cli: $1"; }
not_ok() { echo "not ok - cli: $1"; }
# NAME STATUS COMMAND...: the exit status, with stdout and stderr in $tmp/out.
expect() {
    name=$1 expected=$2
    shift 2
    "$@" > "$tmp/out" 2>&1
    status=$?
    if [ "$status" -eq "$expected" ]; then ok "$name"; else
        not_ok "$name: exit $status, expected $expected: $(head -n 2 "$tmp/out" | tr '\n' ' ')"; fi
}
# NAME TEXT: $tmp/out holds the line TEXT.
says() {
    if grep -qxF "$2" "$tmp/out"; then ok "$1"; else
        not_ok "$1: expected '$2', got: $(head -n 2 "$tmp/out" | tr '\n' ' ')"; fi
}
layout_of() { # PDF: the page width in points (parallel is landscape)
    pdfinfo "$1" 2> /dev/null | sed -n 's/^Page size: *\([0-9.]*\) x.*/\1/p' | cut -d. -f1
}

# One value, every spelling getopt_long allows: the same PDF each time.
"$KYODO" render "$M" --layout parallel -o "$tmp/ref.pdf" 2> /dev/null
ref=$(layout_of "$tmp/ref.pdf")
for spelling in "--layout=parallel -o $tmp/a.pdf" "--layout parallel --output=$tmp/a.pdf" \
    "-o$tmp/a.pdf --layout=parallel" "--output $tmp/a.pdf --layout parallel"; do
    rm -f "$tmp/a.pdf"
    # shellcheck disable=SC2086 # the spelling is words
    expect "render $M $spelling" 0 "$KYODO" render "$M" $spelling
    [ -s "$tmp/a.pdf" ] && [ "$(layout_of "$tmp/a.pdf")" = "$ref" ] || not_ok "$spelling: not a parallel PDF"
done
# --opt=value where the value has an "=" or begins with "-".
cp "$M" "$tmp/-x.xml"
(cd "$tmp" && "$KYODO" render -- -x.xml > out 2>&1) && [ -s "$tmp/-x.pdf" ] &&
    ok "-- ends the options: a draft named -x.xml renders" ||
    not_ok "--: $(head -2 "$tmp/out")"
(cd "$tmp" && "$KYODO" render -x.xml > out 2>&1)
[ $? -eq 2 ] && grep -qxF "kyodo: unknown option: -x" "$tmp/out" &&
    ok "without --, -x.xml is an unknown option -x" || not_ok "-x.xml: $(head -2 "$tmp/out")"
expect "options after --output - and a draft after --" 0 sh -c \
    "'$KYODO' render --output=- -- '$M' > '$tmp/stdout.pdf'"
[ -s "$tmp/stdout.pdf" ] || not_ok "--output=-: no PDF on standard output"

# -j4 and -j 4, and -q joined with -j: build accepts them; -j sweeps.
for spelling in "-j4" "-j 4" "--jobs=4" "--jobs 4" "-qj4" "-qj 1" "-j2147483647"; do
    # shellcheck disable=SC2086
    expect "build $spelling" 0 "$KYODO" build "$M" -o "$tmp/build" --force $spelling
done
for bad in 0 -1 4x "" 2147483648 99999999999999999999 " 4"; do
    expect "build -j '$bad' is a usage error" 2 "$KYODO" build "$M" -o "$tmp/build" -j "$bad"
    says "build -j '$bad' says why" "kyodo: -j takes a number of at least 1: $bad"
done

# Missing values, unknown and abbreviated options.
expect "render --layout without a value" 2 "$KYODO" render "$M" --layout
says "render --layout without a value says so" "kyodo: option needs a value: --layout"
expect "build -j without a value" 2 "$KYODO" build "$M" -o "$tmp/build" -j
says "build -j without a value says so" "kyodo: option needs a value: -j"
expect "an abbreviated option is refused" 2 "$KYODO" render "$M" --lay parallel
says "an abbreviation is told the full name" "kyodo: unknown option: --lay (did you mean --layout?)"
expect "an abbreviated option with = is refused" 2 "$KYODO" render "$M" --lay=parallel
says "an abbreviation with = is told the full name" "kyodo: unknown option: --lay (did you mean --layout?)"
expect "a mistyped option with a value" 2 "$KYODO" render "$M" --layuot=parallel
says "a mistyped option with = gets did you mean" "kyodo: unknown option: --layuot (did you mean --layout?)"
expect "a build option given to check" 2 "$KYODO" check "$M" --force
says "check names its own help" "Try 'kyodo check --help'."
expect "an unknown short option" 2 "$KYODO" build "$M" -o "$tmp/build" -x
says "an unknown short option is named" "kyodo: unknown option: -x"
expect "kyodo --verison" 2 "$KYODO" --verison
says "kyodo --verison gets did you mean" "kyodo: unknown option: --verison (did you mean --version?)"
expect "--help after the draft" 0 "$KYODO" render "$M" --help
grep -q "^Usage: kyodo render" "$tmp/out" || not_ok "render DRAFT --help prints render's help"
expect "diff --encoding=UTF-8" 0 "$KYODO" diff --encoding=UTF-8 "$M" "$M"
expect "templates takes no arguments" 2 "$KYODO" templates extra
expect "fonts --fontset=FILE" 0 "$KYODO" fonts --fontset="$(pwd)/fonts/fontset.xml"
expect "new --template=NAME -- FILE" 0 "$KYODO" new --template=joint-declaration -- "$tmp/-new.xml"
grep -q 'template="joint-declaration"' "$tmp/-new.xml" 2> /dev/null || not_ok "new --template= was not used"

# --format json: render and build print their diagnostics as check does,
# one JSON array (on standard output; with -o - on standard error).
bad=$(pwd)/tests/bad/missing-japanese.xml
json_has() { # NAME FILE: a JSON array with an error on the bad draft's line
    python3 - "$2" "$bad" "$1" << 'PY'
import json, sys
path, bad, name = sys.argv[1:4]
try:
    found = json.load(open(path, encoding="utf-8"))
    first = found[0]
    ok = (isinstance(found, list) and first["file"] == bad and first["severity"] == "error"
          and first["line"] > 0 and "Japanese" in first["message"]
          and set(first) == {"file", "line", "column", "severity", "message", "rule", "suppressed"})
except (ValueError, KeyError, IndexError, TypeError) as e:
    ok, first = False, str(e)
print(("ok" if ok else "not ok") + " - cli: " + name + ("" if ok else ": " + repr(first)[:200]))
PY
}
"$KYODO" render "$bad" -o "$tmp/bad.pdf" --format json > "$tmp/render.json" 2> "$tmp/render.err"
[ $? -eq 1 ] && [ ! -s "$tmp/render.err" ] && ok "render --format json: exit 1, nothing on standard error" ||
    not_ok "render --format json: $(head -2 "$tmp/render.err")"
json_has "render --format json: one JSON array with file, line, severity, message" "$tmp/render.json"
"$KYODO" render "$bad" -o - --format=json > "$tmp/stdout.pdf" 2> "$tmp/render.json"
json_has "render -o - --format json: the array on standard error" "$tmp/render.json"
"$KYODO" render "$M" -o "$tmp/good.pdf" --format json > "$tmp/good.json" 2>&1
[ "$(cat "$tmp/good.json")" = "[]" ] && ok "render --format json: [] for a good draft" ||
    not_ok "render --format json on a good draft: $(head -c 200 "$tmp/good.json")"
"$KYODO" render "$M" -o "$tmp/good.pdf" --format json --report-json > "$tmp/good.json" 2> "$tmp/report"
[ "$(cat "$tmp/good.json")" = "[]" ] && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/report" &&
    ok "render --format json --report-json: the report moves to standard error" ||
    not_ok "render --format json --report-json: $(head -c 200 "$tmp/good.json")"
mkdir -p "$tmp/tree/sub"
cp "$bad" "$tmp/tree/sub/"
cp "$M" "$tmp/tree/"
"$KYODO" build "$tmp/tree" -o "$tmp/tree-out" --layout sequential,parallel --format json \
    > "$tmp/build.json" 2> "$tmp/build.err"
status=$?
bad=$tmp/tree/sub/missing-japanese.xml
[ $status -eq 1 ] && ok "build --format json: exit 1 with a bad draft" || not_ok "build --format json: exit $status"
json_has "build --format json: one JSON array with file, line, severity, message" "$tmp/build.json"
python3 -c "
import json, sys
found = json.load(open(sys.argv[1]))
print(('ok' if len(found) == 1 else 'not ok') + ' - cli: build --format json: the draft failing in two layouts is one entry (%d)' % len(found))
" "$tmp/build.json" 2> /dev/null || not_ok "build --format json: not a JSON array: $(head -c 200 "$tmp/build.json")"
grep -q "^kyodo build: 2 rendered, 0 up to date, 2 failed" "$tmp/build.err" && ok "build --format json: progress and summary stay on standard error" ||
    not_ok "build --format json: summary: $(tail -1 "$tmp/build.err")"
mkdir -p "$tmp/empty"
"$KYODO" build "$tmp/empty" -o "$tmp/none" --format json > "$tmp/none.json" 2>&1
python3 -c "
import json, sys
found = json.load(open(sys.argv[1]))
print(('ok' if found and 'no drafts' in found[0]['message'] else 'not ok') + ' - cli: build --format json: a setup error is in the array too')
" "$tmp/none.json" 2> /dev/null || not_ok "build --format json with no drafts: $(head -c 200 "$tmp/none.json")"
expect "--format yaml is refused" 2 "$KYODO" render "$M" --format yaml
says "--format yaml says why" "kyodo: --format takes text or json: yaml"
# POSIXLY_CORRECT would make getopt stop at the draft; kyodo's in-order
# mode reads the options after it all the same.
rm -f "$tmp/posix.pdf"
expect "options after the draft with POSIXLY_CORRECT set" 0 env POSIXLY_CORRECT=1 \
    "$KYODO" render "$M" -o "$tmp/posix.pdf" --layout=en
[ -s "$tmp/posix.pdf" ] || not_ok "POSIXLY_CORRECT: no PDF"
# kyodo watch needs a file to watch and a file to replace.
expect "watch - is a usage error" 2 "$KYODO" watch -
says "watch - says why" "kyodo: watch needs a draft file, not standard input"
expect "watch -o - is a usage error" 2 "$KYODO" watch "$M" -o -
says "watch -o - says why" "kyodo: watch needs a PDF file, not standard output"
