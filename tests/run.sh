#!/bin/sh
# Runs every test of kyodo and ends with the line "N passed, N failed".
# Called by `make test` with KYODO (the binary) and UNIT_BIN (cmocka tests).
set -u
KYODO=${KYODO:-build/kyodo}
# Messages are asserted in English whatever the user's locale
# (tests/e2e/gettext.sh sets its own).
unset LANGUAGE LC_ALL
export LC_MESSAGES=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log="$tmp/results"
: > "$log"

# Every result is a line "ok - NAME" or "not ok - NAME: why".
record() { tee -a "$log"; }

echo "== unit tests (cmocka)"
for test in ${UNIT_BIN:-}; do
    CMOCKA_MESSAGE_OUTPUT=TAP "$test" 2>&1 | sed -n \
        -e "s/^ok [0-9]* - \(.*\)/ok - $(basename "$test"): \1/p" \
        -e "s/^not ok [0-9]* - \(.*\)/not ok - $(basename "$test"): \1/p" \
        -e 's/^# \(.*\)/#   \1/p' | record
done

# The template file a draft is rendered with.
template_of() { python3 -c "import sys; sys.path.insert(0, 'tests/e2e'); import templates; print(templates.for_draft(sys.argv[1]))" "$1"; }

echo "== end-to-end: every draft in input/, every layout"
for draft in input/*.xml; do
    name=$(basename "$draft" .xml)
    for layout in sequential parallel en ja; do
        pdf="$tmp/$name-$layout.pdf"
        if "$KYODO" render "$draft" -o "$pdf" --layout "$layout" 2> "$tmp/err"; then
            echo "ok - render $draft --layout $layout" | record
            python3 tests/e2e/check_pdf.py "$draft" "$pdf" "$layout" "$(template_of "$draft")" | record
            python3 tests/e2e/check_inline.py "$draft" "$pdf" "$layout" "$(template_of "$draft")" | record
            python3 tests/e2e/check_spaces.py "$draft" "$pdf" "$layout" "$(template_of "$draft")" | record
        else
            echo "not ok - render $draft --layout $layout: $(cat "$tmp/err")" | record
        fi
    done
done

# Each party's copy: party names in running text follow its order.
for copy in in jp; do
    for layout in sequential parallel; do
        draft=input/japan-india-summit-2015.xml pdf="$tmp/copy-$copy-$layout.pdf"
        if "$KYODO" render "$draft" -o "$pdf" --layout "$layout" --copy "$copy" 2> "$tmp/err"; then
            python3 tests/e2e/check_inline.py "$draft" "$pdf" "$layout" "$(template_of "$draft")" "$copy" | record
        else
            echo "not ok - render $draft --copy $copy: $(cat "$tmp/err")" | record
        fi
    done
done

echo "== typesetting: kinsoku, justification, word spaces (read back with pdftotext -bbox)"
typeset() { # DRAFT LAYOUT TEMPLATE_FILE [TEMPLATE_DIR] [--report-spaces]
    draft=$1 layout=$2 template=$3 dir=${4:-} extra=${5:-}
    name=$(basename "$template" .xml)
    pdf="$tmp/typeset-$(basename "$draft" .xml)-$layout-$name.pdf"
    set -- render "$draft" --layout "$layout" -o "$pdf"
    [ -n "$dir" ] && set -- "$@" --template-dir "$dir" --template "$name"
    if "$KYODO" "$@" 2> "$tmp/err"; then
        python3 tests/e2e/check_typesetting.py "$draft" "$pdf" "$layout" "$template" $extra | record
    else
        echo "not ok - typeset $draft $layout $name: $(cat "$tmp/err")" | record
    fi
}
for draft in input/*.xml; do
    typeset "$draft" en "$(template_of "$draft")"
    typeset "$draft" ja "$(template_of "$draft")"
done
for template in tests/typesetting/templates/*.xml; do
    typeset tests/typesetting/kinsoku.xml ja "$template" tests/typesetting/templates
    spaces=--report-spaces
    [ "$(basename "$template")" = measure-25.xml ] && spaces=""
    typeset tests/typesetting/kinsoku.xml en "$template" tests/typesetting/templates "$spaces"
done

echo "== never past the margin: text no rule can break, at 60, 80 and 100 mm, 9 to 12 pt, warned about"
# Strict kinsoku, then JLREQ's looser rule, then an emergency break between
# any two characters: no glyph outside the type area, and each relaxation is
# a warning with the draft's file and line. The samples' signature rules too.
stress=tests/typesetting/overflow.xml
for template in measure-75 measure-65 measure-55 measure-75-size-9 measure-65-size-9 \
    measure-55-size-9 measure-75-size-105 measure-65-size-105 measure-55-size-105 \
    measure-75-size-12 measure-65-size-12 measure-55-size-12; do
    for layout in sequential parallel; do
        pdf="$tmp/overflow-$template-$layout.pdf"
        if "$KYODO" render "$stress" --layout "$layout" --template-dir tests/typesetting/templates \
            --template-dir tests/typesetting/sizes --template "$template" -o "$pdf" --report \
            > "$tmp/report" 2> "$tmp/err"; then
            # The figures a reviewer looks at, printed with the results.
            sed "s/^/#   $template $layout: /" "$tmp/report"
            file=tests/typesetting/templates/$template.xml
            [ -f "$file" ] || file=tests/typesetting/sizes/$template.xml
            python3 tests/e2e/check_overflow.py "$stress" "$pdf" "$layout" "$file" | record
            if grep -q "^$stress:[0-9]*: warning: no line break that the rules allow" "$tmp/err" &&
                ! grep -v "^$stress:[0-9]*: warning: " "$tmp/err" | grep -q .; then
                echo "ok - overflow $template $layout: emergency breaks are warnings at their line"
            else
                echo "not ok - overflow $template $layout: warnings: $(head -3 "$tmp/err")"
            fi | record
        else
            echo "not ok - overflow $template $layout: $(cat "$tmp/err")" | record
        fi
    done
done
for draft in input/*.xml; do
    for layout in sequential parallel; do
        pdf="$tmp/margins-$(basename "$draft" .xml)-$layout.pdf"
        if "$KYODO" render "$draft" --layout "$layout" -o "$pdf" 2> "$tmp/err" && [ ! -s "$tmp/err" ]; then
            python3 tests/e2e/check_overflow.py "$draft" "$pdf" "$layout" "$(template_of "$draft")" | record
        else
            echo "not ok - margins $draft $layout: $(cat "$tmp/err")" | record
        fi
    done
done

echo "== render --report: the line breaking's figures, per language"
# The word spaces it reports are those check_typesetting.py measures in the
# PDF (which reads paragraphs, not list items: the samples with lists of
# items are left out); the stress draft's emergency breaks and relaxed lines
# are counted.
for draft in input/japan-india-australia-trilateral.xml input/japan-india-cyber-declaration.xml \
    input/japan-india-cyber-dialogue.xml input/japan-india-cyber-memorandum.xml; do
    "$KYODO" render "$draft" --layout en -o "$tmp/report.pdf" --report-json > "$tmp/report.json"
    python3 tests/e2e/check_typesetting.py "$draft" "$tmp/report.pdf" en "$(template_of "$draft")" \
        > "$tmp/measured"
    python3 tests/e2e/check_report.py "$tmp/report.json" "$tmp/measured" "$draft" | record
done
"$KYODO" render "$stress" --template-dir tests/typesetting/templates --template measure-75 \
    -o "$tmp/report.pdf" --report > "$tmp/report.txt" 2> /dev/null
if grep -q "^en: .*emergency breaks: [1-9]" "$tmp/report.txt" &&
    grep -q "^ja: .*relaxed lines: [1-9].*emergency breaks: [1-9]" "$tmp/report.txt"; then
    echo "ok - render --report: the stress draft's relaxed lines and emergency breaks are counted"
else
    echo "not ok - render --report: $(cat "$tmp/report.txt")"
fi | record

echo "== word spaces on the stress drafts: at most 2x at full measure, 2.5x in parallel columns"
# At 60, 80 and 100 mm and 9, 10.5 and 12 pt in every layout with English;
# the configurations that do not reach the target yet are known gaps in
# check_spacing.py, held to the figure they reach.
for draft in tests/typesetting/kinsoku.xml tests/typesetting/overflow.xml; do
    for template in measure-75-size-9 measure-75-size-105 measure-75-size-12 measure-65-size-9 \
        measure-65-size-105 measure-65-size-12 measure-55-size-9 measure-55-size-105 \
        measure-55-size-12; do
        for layout in sequential en parallel; do
            if "$KYODO" render "$draft" --layout "$layout" --template-dir tests/typesetting/templates \
                --template-dir tests/typesetting/sizes --template "$template" \
                -o "$tmp/spacing.pdf" --report-json > "$tmp/spacing.json" 2> "$tmp/err"; then
                python3 tests/e2e/check_spacing.py "$tmp/spacing.json" "$draft" "$template" "$layout"
                # No page (no column) ends with a hyphenated line, in every layout.
                python3 tests/e2e/check_overflow.py "$draft" "$tmp/spacing.pdf" "$layout" \
                    "tests/typesetting/sizes/$template.xml" --page-ends
                # The word spaces drawn as glyphs where lines are letter-spaced,
                # hyphenated and broken in emergencies: the narrowest columns.
                [ "$layout" = parallel ] && python3 tests/e2e/check_spaces.py "$draft" \
                    "$tmp/spacing.pdf" "$layout" "tests/typesetting/sizes/$template.xml"
            else
                echo "not ok - word spaces $draft $template $layout: $(cat "$tmp/err")"
            fi | record
        done
    done
done

echo "== bad input: exact error, exit status 1, no PDF"
templates_dir="$(pwd)/templates"
for draft in tests/bad/*.xml; do
    name=$(basename "$draft" .xml)
    args=""
    [ -f "tests/bad/$name.args" ] && args=$(cat "tests/bad/$name.args")
    pdf="$tmp/bad-$name.pdf"
    # shellcheck disable=SC2086 # args are words
    "$KYODO" render "$draft" -o "$pdf" $args 2> "$tmp/err"
    status=$?
    sed "s|$templates_dir|@TEMPLATES@|g" "$tmp/err" > "$tmp/err.norm"
    if [ $status -ne 1 ]; then
        echo "not ok - bad input $name: exit status $status, expected 1" | record
    elif [ -e "$pdf" ] || ls "$tmp" | grep -q "bad-$name.pdf.tmp"; then
        echo "not ok - bad input $name: a PDF was written" | record
    elif ! diff -u "tests/bad/$name.err" "$tmp/err.norm" > "$tmp/diff"; then
        echo "not ok - bad input $name: message differs" | record
        cat "$tmp/diff"
    else
        echo "ok - bad input $name: $(head -n 1 "$tmp/err.norm")" | record
    fi
done

echo "== bad input: kyodo check finds what kyodo render refuses"
# --copy is a render option: the copy a draft is printed as, not the draft.
for draft in tests/bad/*.xml; do
    name=$(basename "$draft" .xml)
    args=""
    [ -f "tests/bad/$name.args" ] && args=$(cat "tests/bad/$name.args")
    case " $args " in *" --copy "*) continue ;; esac
    # shellcheck disable=SC2086 # args are words
    "$KYODO" render "$draft" -o "$tmp/agree.pdf" $args 2> "$tmp/render.err"
    render_status=$?
    # shellcheck disable=SC2086
    "$KYODO" check "$draft" $args > "$tmp/check.out" 2>&1
    check_status=$?
    sed 's/ \[[a-z-]*\]$//' "$tmp/check.out" > "$tmp/check.err"
    missing=$(grep -vxF -f "$tmp/check.err" "$tmp/render.err" | head -n 1)
    if [ $render_status -ne 1 ] || [ $check_status -ne 1 ]; then
        echo "not ok - check agrees with render on $name: render exit $render_status, check exit $check_status"
    elif [ -n "$missing" ]; then
        echo "not ok - check agrees with render on $name: check does not report: $missing"
    else
        echo "ok - check agrees with render on $name: both refuse it with the same error"
    fi | record
done

echo "== alternat: each party's copy"
sample=input/japan-india-cyber-dialogue.xml
for copy in jp in; do
    pdf="$tmp/copy-$copy.pdf"
    if "$KYODO" render "$sample" --copy "$copy" --layout parallel -o "$pdf" 2> "$tmp/err"; then
        text=$(pdftotext -raw "$pdf" - 2>/dev/null | tr -d ' \n')
        case $copy in
            jp) own="Japan–India" own_ja="日印" first="ForthegovernmentofJapan" ;;
            in) own="India–Japan" own_ja="印日" first="ForthegovernmentoftheRepublicofIndia" ;;
        esac
        case "$text" in
            *"$own"*) echo "ok - copy $copy: the title names its party first ($own)" ;;
            *) echo "not ok - copy $copy: title does not read $own" ;;
        esac | record
        case "$text" in
            *"$own_ja"*) echo "ok - copy $copy: the Japanese title names its party first ($own_ja)" ;;
            *) echo "not ok - copy $copy: Japanese title does not read $own_ja" ;;
        esac | record
        # The copy's own signatory signs first (in the left column).
        jp_at=$(printf '%s' "$text" | awk '{ print index($0, "FortheGovernmentofJapan") }')
        in_at=$(printf '%s' "$text" | awk '{ print index($0, "FortheGovernmentoftheRepublicofIndia") }')
        if { [ "$copy" = jp ] && [ "$jp_at" -lt "$in_at" ]; } || { [ "$copy" = in ] && [ "$in_at" -lt "$jp_at" ]; }; then
            echo "ok - copy $copy: its signatory signs in the first place"
        else
            echo "not ok - copy $copy: its signatory does not sign first ($jp_at, $in_at)"
        fi | record
        # Its language takes the left column.
        lang_left=$(pdftotext -f 1 -l 1 -x 0 -y 0 -W 297 -H 120 "$pdf" - 2>/dev/null)
        case "$copy:$lang_left" in
            jp:*サイバー*|in:*Cyber*) echo "ok - copy $copy: its language takes the left column" ;;
            *) echo "not ok - copy $copy: wrong language on the left: $lang_left" ;;
        esac | record
    else
        echo "not ok - copy $copy: $(cat "$tmp/err")" | record
    fi
done

echo "== kyodo build: parallel, incremental, atomic"
sh tests/e2e/build.sh "$KYODO" "$tmp" | record
sh tests/e2e/build-hostile.sh "$KYODO" "$tmp" | record

echo "== pipes and trees: standard input and output, diff in a pipeline, directory trees"
sh tests/e2e/pipes.sh "$KYODO" "$tmp" | record

echo "== command line: getopt_long spellings, --, abbreviations, --format json"
sh tests/e2e/cli.sh "$KYODO" "$tmp" | record

echo "== kyodo watch: re-render on save, keep the last good PDF, stop cleanly"
sh tests/e2e/watch.sh "$KYODO" "$tmp" | record

echo "== shell completion: bash and zsh"
sh tests/e2e/completion.sh "$KYODO" "$tmp" | record

echo "== messages: colour, the source line and caret, JSON without them"
sh tests/e2e/messages.sh "$KYODO" "$tmp" | record

echo "== messages in Japanese (gettext, src/po/ja.po)"
sh tests/e2e/gettext.sh "$KYODO" "$tmp" | record

echo "== encodings (iconv)"
sh tests/e2e/encodings.sh "$KYODO" "$tmp" | record

echo "== revisions: diff and change bars"
sh tests/e2e/changes.sh "$KYODO" "$tmp" | record

echo "== sections: no heading of any level ends a page"
sh tests/e2e/sections.sh "$KYODO" "$tmp" | record

echo "== signed instruments and official conventions: fallback font, 字下げ, quotes, place and date, signatories"
sh tests/e2e/conventions.sh "$KYODO" "$tmp" | record

echo "== archive and print: reproducible bytes, metadata, outline, --print"
sh tests/e2e/archive.sh "$KYODO" "$tmp" | record

echo "== PDF/A-2u: PDFBox Preflight and check_pdfa.py on every sample and layout, --standard none, no .notdef"
sh tests/e2e/pdfa.sh "$KYODO" "$tmp" | record
echo "== Tagged PDF (PDF/UA-1 structure): check_pdfua.py and its self-test, reading order by pdfinfo -struct-text"
sh tests/e2e/pdfua.sh "$KYODO" "$tmp" | record

echo "== hostile and broken input"
sh tests/e2e/hostile.sh "$KYODO" "$tmp" | record

echo "== reading inputs, writing outputs: FIFOs, links, devices, stdout, modes"
sh tests/e2e/io.sh "$KYODO" "$tmp" | record

echo "== limits: bounded numbers, endless counters, out of memory, diff in linear space"
sh tests/e2e/limits.sh "$KYODO" "$tmp" | record

echo "== scaling: cost at n and 8n of hostile inputs (n log n time, linear memory)"
sh tests/e2e/scaling.sh "$KYODO" "$tmp" | record

echo "== fuzzing corpus: every past finding and seed renders or fails cleanly"
sh tests/e2e/corpus.sh "$KYODO" "$tmp" | record
# The fuzzers' dictionary is made from the schemas: a new element or
# attribute the fuzzers never try is a hole in the hostile-input testing.
if python3 tests/fuzz/make_dict.py | diff -q - tests/fuzz/kyodo.dict > /dev/null; then
    echo "ok - the fuzz dictionary names every element and attribute of the schemas"
else
    echo "not ok - tests/fuzz/kyodo.dict is out of date: python3 tests/fuzz/make_dict.py > tests/fuzz/kyodo.dict"
fi | record

echo "== sweeps: title lengths, heading leadings (a PDF or a clean error, never a crash)"
sh tests/e2e/sweep.sh "$KYODO" "$tmp" | record

echo "== valgrind memcheck: every sample, 0 errors, nothing definitely lost"
# (not under the sanitizers: valgrind and AddressSanitizer do not mix)
if command -v valgrind > /dev/null && [ -z "${KY_SANITIZED:-}" ]; then
    for draft in input/*.xml; do
        valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
            "$KYODO" render "$draft" -o "$tmp/valgrind.pdf" > "$tmp/vg" 2>&1
        status=$?
        if [ $status -eq 0 ] && grep -q "ERROR SUMMARY: 0 errors" "$tmp/vg" &&
            grep -q "definitely lost: 0 bytes" "$tmp/vg"; then
            echo "ok - valgrind: $draft: 0 errors, 0 bytes definitely lost"
        elif [ $status -eq 0 ] && grep -q "All heap blocks were freed" "$tmp/vg"; then
            echo "ok - valgrind: $draft: 0 errors, all heap blocks freed"
        else
            echo "not ok - valgrind: $draft: status $status: $(grep -E "ERROR SUMMARY|definitely" "$tmp/vg")"
        fi | record
    done
fi

echo "== bilingual title page"
"$KYODO" render "$sample" -o "$tmp/plain.pdf" && "$KYODO" render "$sample" --title-page -o "$tmp/title.pdf"
plain=$(pdfinfo "$tmp/plain.pdf" | sed -n 's/^Pages: *//p')
titled=$(pdfinfo "$tmp/title.pdf" | sed -n 's/^Pages: *//p')
first=$(pdftotext -l 1 "$tmp/title.pdf" - 2>/dev/null | tr -d ' \n')
case "$first" in
    *JointStatement*共同声明*)
        [ "$titled" -eq $((plain + 1)) ] && echo "ok - --title-page: one more page, both titles on it" \
            || echo "not ok - --title-page: $titled pages, expected $((plain + 1))" ;;
    *) echo "not ok - --title-page: page 1 lacks the titles: $first" ;;
esac | record

echo "== kyodo check: each lint rule on a crafted draft, silence on the samples"
for draft in tests/lint/*.xml; do
    name=$(basename "$draft" .xml)
    "$KYODO" check "$draft" > "$tmp/lint" 2>&1
    status=$?
    sed -i "s|$templates_dir|@TEMPLATES@|g" "$tmp/lint"
    expected=0
    grep -q ": error: " "tests/lint/$name.out" && expected=1
    if ! diff -u "tests/lint/$name.out" "$tmp/lint" > "$tmp/diff"; then
        echo "not ok - check $name: findings differ" | record
        cat "$tmp/diff"
    elif [ $status -ne $expected ]; then
        echo "not ok - check $name: exit status $status, expected $expected" | record
    else
        echo "ok - check $name: $(head -n 1 "$tmp/lint" | sed 's/.*\[\(.*\)\]$/[\1]/') fires, exit $status" | record
    fi
    if [ $expected -eq 0 ]; then
        "$KYODO" check --werror "$draft" > /dev/null 2>&1
        if [ $? -eq 1 ]; then echo "ok - check $name: --werror makes the warning fail"
        else echo "not ok - check $name: --werror does not fail"; fi | record
    fi
done
if "$KYODO" check input > "$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then
    echo "ok - check: the samples in input/ have no findings"
else
    echo "not ok - check: findings on the samples: $(head -3 "$tmp/lint")"
fi | record
sh tests/e2e/lint.sh "$KYODO" "$tmp" | record
"$KYODO" check --format json tests/lint/number-mismatch.xml tests/lint/schema.xml > "$tmp/json"
python3 -c "
import json, sys
f = json.load(open(sys.argv[1]))
ok = [d['rule'] for d in f] == ['number-mismatch', 'schema'] and f[0]['line'] == 10 and f[0]['severity'] == 'warning'
print(('ok' if ok else 'not ok') + ' - check --format json: findings as a JSON array with rule, line and severity')
" "$tmp/json" | record
# A file name that is not UTF-8 still gives valid JSON (U+FFFD for its bad byte).
odd=$(printf '%s/odd\377name.xml' "$tmp")
cp tests/lint/schema.xml "$odd"
"$KYODO" check --format json "$odd" > "$tmp/json"
python3 -c "
import json, sys
try:
    f = json.load(open(sys.argv[1], encoding='utf-8'))
    ok = f and f[0]['file'].endswith('odd\ufffdname.xml')
except ValueError as e:
    ok = False
print(('ok' if ok else 'not ok') + ' - check --format json: valid JSON for a file name that is not UTF-8')
" "$tmp/json" | record

echo "== make install: PREFIX, DESTDIR, uninstall"
prefix=$tmp/prefix
if make -s install PREFIX="$prefix" INSTALL_BUILD="$tmp/install-build" > "$tmp/install.log" 2>&1; then
    sed 's/template="joint-statement"/template="nowhere"/' input/japan-india-cyber-dialogue.xml > "$tmp/nowhere.xml"
    (cd / && "$prefix/bin/kyodo" render "$OLDPWD/input/japan-india-cyber-dialogue.xml" -o "$tmp/installed.pdf") &&
        [ -s "$tmp/installed.pdf" ] && echo "ok - install: the installed kyodo renders from another directory" \
        || echo "not ok - install: the installed kyodo cannot render"
    (cd / && "$prefix/bin/kyodo" render "$tmp/nowhere.xml" -o "$tmp/nowhere.pdf" 2>&1) |
        grep -q "searched $prefix/share/kyodo/templates)" \
        && echo "ok - install: it looks for templates in PREFIX/share/kyodo, not the source tree" \
        || echo "not ok - install: template search path is not the installed one"
    [ -s "$prefix/share/man/man1/kyodo.1" ] && [ -s "$prefix/share/kyodo/fonts/fontset.xml" ] &&
        [ -s "$prefix/share/kyodo/schema/draft.rng" ] \
        && echo "ok - install: man page, font set and schemas installed" \
        || echo "not ok - install: files missing under $prefix"
    cmp -s src/completion/kyodo.bash "$prefix/share/bash-completion/completions/kyodo" &&
        cmp -s src/completion/_kyodo "$prefix/share/zsh/vendor-completions/_kyodo" \
        && echo "ok - install: bash and zsh completions installed where the shells look" \
        || echo "not ok - install: files missing under $prefix"
    make -s uninstall PREFIX="$prefix" INSTALL_BUILD="$tmp/install-build" > /dev/null 2>&1
    [ ! -e "$prefix/bin/kyodo" ] && [ ! -e "$prefix/share/kyodo" ] &&
        [ ! -e "$prefix/share/bash-completion/completions/kyodo" ] &&
        [ ! -e "$prefix/share/zsh/vendor-completions/_kyodo" ] \
        && echo "ok - uninstall removes what install put there" \
        || echo "not ok - uninstall left files"
    make -s install DESTDIR="$tmp/stage" PREFIX=/usr/local > /dev/null 2>&1
    [ -x "$tmp/stage/usr/local/bin/kyodo" ] && [ -s "$tmp/stage/usr/local/share/kyodo/templates/joint-statement.xml" ] \
        && echo "ok - install: DESTDIR stages the tree under it" \
        || echo "not ok - install: DESTDIR staging"
else
    echo "not ok - install: $(tail -3 "$tmp/install.log")"
fi | record

echo "== make deb: a Debian package, extracted with dpkg -x, renders the sample"
sh tests/e2e/deb.sh "$KYODO" "$tmp" | record

echo "== NEWS: the version in src/version.h has its entry"
version=$(sed -n 's/^#define KY_VERSION "\(.*\)"/\1/p' src/version.h)
if grep -q "^## $version — [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$" src/NEWS.md; then
    echo "ok - NEWS: src/NEWS.md has an entry for $version, with its date"
else
    echo "not ok - NEWS: src/NEWS.md has no '## $version — YYYY-MM-DD' entry"
fi | record

echo "== command line"
cli() { # NAME EXPECTED_STATUS COMMAND...
    name=$1 expected=$2
    shift 2
    "$@" > "$tmp/out" 2>&1
    status=$?
    if [ $status -eq "$expected" ]; then echo "ok - cli: $name"; else
        echo "not ok - cli: $name: exit $status, expected $expected: $(head -n 3 "$tmp/out")"; fi | record
}
cli "--help" 0 "$KYODO" --help
cli "render --help" 0 "$KYODO" render --help
cli "build --help" 0 "$KYODO" build --help
cli "build without -o is a usage error" 2 "$KYODO" build input
cli "check --help" 0 "$KYODO" check --help
cli "diff --help" 0 "$KYODO" diff --help
cli "--version" 0 "$KYODO" --version
grep -q "^kyodo [0-9]" "$tmp/out" || echo "not ok - cli: --version prints the version" | record
for lib in libharu zlib libxml2 HarfBuzz ICU; do
    if grep -q "^  .*$lib [0-9]" "$tmp/out"; then echo "ok - cli: --version names $lib's version"
    else echo "not ok - cli: --version lacks $lib"; fi
done | record
if grep -q "mincho *Version" "$tmp/out"; then echo "ok - cli: --version lists the fonts' versions"
else echo "not ok - cli: --version lists no font versions"; fi | record
# kyodo new writes a skeleton that passes check and renders, for every
# built-in template, and never over an existing file.
for template in joint-statement joint-declaration memorandum-of-cooperation; do
    rm -f "$tmp/new-$template.xml"
    if "$KYODO" new --template "$template" "$tmp/new-$template.xml" > /dev/null 2>&1 &&
        "$KYODO" check "$tmp/new-$template.xml" > "$tmp/newcheck" 2>&1 && [ ! -s "$tmp/newcheck" ] &&
        "$KYODO" render "$tmp/new-$template.xml" -o "$tmp/new-$template.pdf" 2> /dev/null; then
        echo "ok - cli: new --template $template writes a draft that check passes and render sets"
    else
        echo "not ok - cli: new --template $template: $(head -2 "$tmp/newcheck" 2>/dev/null)"
    fi | record
done
cli "new never writes over a file" 1 "$KYODO" new "$tmp/new-joint-statement.xml"
cli "new with an unknown template" 1 "$KYODO" new --template nowhere "$tmp/new-nowhere.xml"
[ -e "$tmp/new-nowhere.xml" ] && echo "not ok - cli: new wrote a draft for an unknown template" | record
# kyodo templates lists the built-in ones and those of --template-dir first.
mkdir -p "$tmp/mine"
printf '<template name="ours" extends="joint-statement"><description>Our own.</description></template>\n' \
    > "$tmp/mine/ours.xml"
cli "templates" 0 "$KYODO" templates --template-dir "$tmp/mine"
if grep -q "^ours  *Our own\." "$tmp/out" && grep -q "extends joint-statement" "$tmp/out" &&
    grep -q "^memorandum-of-cooperation  *Memorandum" "$tmp/out"; then
    echo "ok - cli: templates lists names, descriptions, what they extend"
else echo "not ok - cli: templates: $(head -3 "$tmp/out")"; fi | record
cli "help render" 0 "$KYODO" help render
grep -q "^Usage: kyodo render" "$tmp/out" || echo "not ok - cli: help render prints render's help" | record
cli "a mistyped command" 2 "$KYODO" rendr
if grep -q "unknown command: rendr (did you mean render?)" "$tmp/out"; then
    echo "ok - cli: a mistyped command gets 'did you mean render?'"
else echo "not ok - cli: no suggestion for rendr: $(head -1 "$tmp/out")"; fi | record
cli "a mistyped option" 2 "$KYODO" render tests/minimal.xml --layuot parallel
if grep -q "unknown option: --layuot (did you mean --layout?)" "$tmp/out"; then
    echo "ok - cli: a mistyped option gets 'did you mean --layout?'"
else echo "not ok - cli: no suggestion for --layuot: $(head -1 "$tmp/out")"; fi | record
cli "no arguments is a usage error" 2 "$KYODO"
cli "unknown layout is a usage error" 2 "$KYODO" render tests/minimal.xml --layout sideways
cli "a directory as draft" 1 "$KYODO" render tests/bad -o "$tmp/dir.pdf"
cli "fonts match their SHA-256" 0 "$KYODO" fonts
cli "default output name" 0 sh -c "cd '$tmp' && '$(pwd)/$KYODO' render '$(pwd)/tests/minimal.xml' && test -s minimal.pdf"

passed=$(grep -c "^ok - " "$log")
failed=$(grep -c "^not ok - " "$log")
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
