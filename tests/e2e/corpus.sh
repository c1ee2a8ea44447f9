#!/bin/sh
# Every input of the fuzzing corpus (tests/fuzz/corpus) again, through the
# kyodo binary under test: a past finding must end in a PDF or a clean error,
# never a crash or a sanitizer report. render/: drafts, in the sequential and
# parallel layouts; template/: a template, then optionally a NUL byte and a
# font set, with which the sample draft is rendered (as fuzz_template.c does).
# Usage: corpus.sh KYODO TMPDIR
set -u
KYODO=$1
tmp=$2/corpus
mkdir -p "$tmp"
sample=input/japan-india-cyber-dialogue.xml

check() { # NAME: judges the last render by $status and $tmp/err
    if [ "$status" -ge 2 ] || grep -q -e "AddressSanitizer" -e "runtime error" -e "LeakSanitizer" "$tmp/err" ||
        { [ "$status" -eq 1 ] && ! grep -q ": error: " "$tmp/err"; }; then
        echo "not ok - corpus: $1: exit $status: $(head -n 3 "$tmp/err")"
        return 1
    fi
    return 0
}

failed=0 count=0
for input in tests/fuzz/corpus/render/*; do
    for layout in sequential parallel; do
        timeout 60 "$KYODO" render "$input" --layout "$layout" -o "$tmp/out.pdf" > "$tmp/err" 2>&1
        status=$?
        check "render $(basename "$input") --layout $layout" || failed=$((failed + 1))
        count=$((count + 1))
    done
done
for input in tests/fuzz/corpus/template/*; do
    rm -rf "$tmp/t" && mkdir -p "$tmp/t"
    # The template part to t/fuzz.xml, a font set part to t/fontset.xml.
    python3 -c "
import sys
data = open(sys.argv[1], 'rb').read()
template, nul, fontset = data.partition(b'\0')
if template: open(sys.argv[2] + '/fuzz.xml', 'wb').write(template)
if nul: open(sys.argv[2] + '/fontset.xml', 'wb').write(fontset)" "$input" "$tmp/t"
    set -- --template-dir "$tmp/t" --template joint-statement
    [ -e "$tmp/t/fuzz.xml" ] && set -- --template-dir "$tmp/t" --template fuzz
    [ -e "$tmp/t/fontset.xml" ] && set -- "$@" --fontset "$tmp/t/fontset.xml"
    for layout in sequential parallel; do
        timeout 60 "$KYODO" render "$sample" --layout "$layout" -o "$tmp/out.pdf" "$@" > "$tmp/err" 2>&1
        status=$?
        check "template $(basename "$input") --layout $layout" || failed=$((failed + 1))
        count=$((count + 1))
    done
done
[ $failed -eq 0 ] && echo "ok - corpus: $count renders of the fuzzing corpus, none crashed"
