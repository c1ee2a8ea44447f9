#!/bin/sh
# Limits: every number a draft or template carries is bounded with an exact
# message naming the file and line, counters never run out, and a run that
# fails for want of memory says so. Prints "ok - …" / "not ok - …".
# Usage: limits.sh KYODO TMPDIR
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/limits
mkdir -p "$tmp"
M=tests/minimal.xml

# expect NAME DRAFT EXPECTED [ARGS…]: EXPECTED is the exact stderr (then exit
# 1 and no PDF), or "ok" (exit 0 and a PDF).
expect() {
    name=$1 draft=$2 expected=$3
    shift 3
    rm -f "$tmp/out.pdf"
    timeout 30 "$KYODO" render "$draft" -o "$tmp/out.pdf" --layout en "$@" > "$tmp/err" 2>&1
    status=$?
    if [ "$expected" = ok ]; then
        if [ $status -eq 0 ] && [ -s "$tmp/out.pdf" ]; then
            echo "ok - limits: $name: accepted"
        else
            echo "not ok - limits: $name: status $status: $(head -n 2 "$tmp/err")"
        fi
    elif [ $status -eq 1 ] && [ ! -e "$tmp/out.pdf" ] && [ "$(cat "$tmp/err")" = "$expected" ]; then
        echo "ok - limits: $name: $(head -n 1 "$tmp/err" | cut -c1-120)"
    else
        echo "not ok - limits: $name: status $status: got '$(head -n 2 "$tmp/err")', expected '$expected'"
    fi
}

# Dates of issue: years from -1 to past INT_MAX, and leap days.
for date in 0001-01-01 1867-12-31 1868-01-01 2016-02-29 2000-02-29 9999-12-31 2017-08-14+09:00 \
    10000-01-01 2147483647-01-01 2147483648-01-01 -0001-01-01; do
    sed "s|<p>|<issued date=\"$date\"/>\n  <p>|" $M > "$tmp/date.xml"
    case $date in
        10000-* | 214748364* | -0001-*)
            expected="$tmp/date.xml:10: error: invalid date '$date': the year must be from 1 to 9999" ;;
        *) expected=ok ;;
    esac
    expect "issued date $date" "$tmp/date.xml" "$expected"
done
# Leap days the calendar does not have never reach kyodo: the schema's
# xsd:date refuses them first (its first line, the message).
for date in 1900-02-29 2017-02-29 2017-13-01; do
    sed "s|<p>|<issued date=\"$date\"/>\n  <p>|" $M > "$tmp/date.xml"
    "$KYODO" render "$tmp/date.xml" -o "$tmp/date.pdf" 2> "$tmp/err"
    status=$?
    [ $status -eq 1 ] && [ "$(sed 1q "$tmp/err")" = "$tmp/date.xml:10:11: error: date \"$date\" must be YYYY-MM-DD" ] \
        && echo "ok - limits: issued date $date: refused by the schema" \
        || echo "not ok - limits: issued date $date: status $status: $(sed 1q "$tmp/err")"
done
# The Japanese calendar starts with Meiji: earlier dates are an error naming
# the draft (it was "kyodo: error: 1-01-01 is before …").
for date in 0001-01-01 1867-12-31; do
    sed "s|<p>|<issued date=\"$date\" calendar=\"japanese\"/>\n  <p>|" $M > "$tmp/date.xml"
    expect "issued date $date in the Japanese calendar" "$tmp/date.xml" \
        "$tmp/date.xml: error: $date is before the Meiji era (1868): no Japanese era date" --layout ja
done
sed "s|<p>|<issued date=\"1868-01-01\" calendar=\"japanese\"/>\n  <p>|" $M > "$tmp/date.xml"
expect "issued date 1868-01-01 in the Japanese calendar" "$tmp/date.xml" ok --layout ja
# The PDF's dates carry the year as written (four digits, no wrap).
sed "s|<p>|<issued date=\"9999-12-31\"/>\n  <p>|" $M > "$tmp/date.xml"
if "$KYODO" render "$tmp/date.xml" -o "$tmp/date.pdf" 2> "$tmp/err" &&
    grep -a -q "/CreationDate (D:99991231000000Z" "$tmp/date.pdf"; then
    echo "ok - limits: a 9999-12-31 statement's PDF is dated D:99991231"
else
    echo "not ok - limits: PDF date of 9999-12-31: $(grep -a -o "/CreationDate ([^)]*)" "$tmp/date.pdf")"
fi

# Revisions: printed exactly as written, or refused.
for revision in 0 1 999999 " 7" 007 1000000 2147483647 2147483648 4294967297 \
    99999999999999999999999 -1 1e3; do
    sed "s|<statement>|<statement status=\"draft\" revision=\"$revision\">|" $M > "$tmp/rev.xml"
    case $revision in
        -1 | 1e3) expected="$tmp/rev.xml:2:27: error: revision \"$revision\" must be a whole number (0 or more)
    2 | <statement status=\"draft\" revision=\"$revision\">
      |                           ^" ;;
        1000000 | 2147483647 | 2147483648 | 4294967297 | 99999999999999999999999)
            expected="$tmp/rev.xml:2: error: revision '$revision' must be a whole number from 0 to 999999" ;;
        *) expected=ok ;;
    esac
    expect "revision '$revision'" "$tmp/rev.xml" "$expected"
    if [ "$expected" = ok ]; then
        shown=$(pdftotext "$tmp/out.pdf" - 2>/dev/null | sed -n 's/.*revision \([0-9]*\).*/\1/p')
        [ "$shown" = "$(echo "$revision" | sed 's/^ *0*\([0-9]\)/\1/')" ] \
            && echo "ok - limits: revision '$revision' prints as $shown" \
            || echo "not ok - limits: revision '$revision' prints as '$shown'"
    fi
done

# Template lengths: a sweep of sizes, leadings and page lengths.
mkdir -p "$tmp/templates"
template() { # ATTRIBUTES-OF-PAGE ATTRIBUTES-OF-THE-BODY-STYLE
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo '<template name="bounds" extends="joint-statement">'
        [ -n "$1" ] && echo "  <page $1/>"
        [ -n "$2" ] && echo "  <language code=\"en\"><style name=\"body\" $2/></language>"
        echo '</template>'
    } > "$tmp/templates/bounds.xml"
}
T=$tmp/templates/bounds.xml
bounded() { # NAME PAGE-ATTRS STYLE-ATTRS EXPECTED
    template "$2" "$3"
    expect "template $1" $M "$4" --template-dir "$tmp/templates" --template bounds
}
range() { # ATTR VALUE MIN MAX [NOTE]
    echo "$T:${5:-3}: error: $1 '$2' must be a length from $3pt to $4pt${6:-}"
}
page=" (5080mm, the largest PDF page)"
for size in 0 0.5 1 10.5 600; do
    case $size in
        0 | 0.5) expected=$(range size $size 1 600) ;;
        600) expected="$T: error: the indent and size of style 'body' for en (622.0pt) must fit in the text width (453.5pt)" ;;
        *) expected=ok ;;
    esac
    bounded "body size $size" "" "size=\"$size\"" "$expected"
done
for size in 601 1000 99999 100000000000000000000000000000000000000000; do
    case $size in
        1000000*) shown="100000000000000000000000…" ;;
        *) shown=$size ;;
    esac
    bounded "body size $size" "" "size=\"$size\"" "$(range size "$shown" 1 600)"
done
for leading in 0 0.1 1 300 700 1000 14401; do
    case $leading in
        0 | 0.1 | 14401) expected=$(range leading $leading 1 14400 3 "$page") ;;
        1000) expected="$T: error: the leading of style 'body' for en (1000.0pt) must fit in the text area's height (700.2pt)" ;;
        *) expected=ok ;;
    esac
    bounded "body leading $leading" "" "leading=\"$leading\"" "$expected"
done
for width in 0mm 3 100 100mm 14400 14401 100000mm; do
    case $width in
        0mm | 3 | 100) expected="$T: error: page size and margins leave no room for text" ;;
        14401 | 100000mm) expected=$(range width $width 0 14400 3 "$page") ;;
        *) expected=ok ;;
    esac
    bounded "page width $width" "width=\"$width\"" "" "$expected"
done
bounded "page height 100 m" 'height="100000mm"' "" "$(range height 100000mm 0 14400 3 "$page")"
bounded "footer below the paper" 'footer="400"' "" \
    "$T: error: the footer offset (400.0pt) must fit in the bottom margin (70.9pt)"
bounded "gutter wider than the text" 'gutter="400"' "" \
    "$T: error: the gutter (400.0pt) must fit in half the text width (226.8pt)"
bounded "gutter of 220pt" 'gutter="220"' "" ok
# A heading without a parallel override is set in a column too.
template "" ""
sed -i 's|</template>|  <language code="en"><style name="heading" indent="300"/></language>\n</template>|' "$T"
expect "template heading indent past a parallel column" $M \
    "$T: error: the indent and size of style 'heading' (parallel) for en (311.0pt) must fit in a column of the parallel layout (214.0pt)" \
    --template-dir "$tmp/templates" --template bounds
bounded "column rule wider than the gutter" 'column-rule="50"' "" \
    "$T: error: the column rule (50.0pt) must fit in the gutter (25.5pt)"
bounded "indent past the measure" "" 'indent="1000"' \
    "$T: error: the indent and size of style 'body' for en (1011.0pt) must fit in the text width (453.5pt)"
bounded "space before taller than the page" "" 'space-before="1000"' \
    "$T: error: the space before style 'body' for en (1000.0pt) must fit in the text area's height (700.2pt)"

# Counters: items past the 26th letter and the 44th kana go on counting.
python3 - "$M" > "$tmp/items.xml" <<'PY'
import sys
src = open(sys.argv[1], encoding="utf-8").read()
items = "".join(f"<item><en>Point {i}.</en><ja>第{i}点。</ja></item>\n" for i in range(1, 761))
src = src.replace("<statement>", '<statement template="memorandum-of-cooperation">')
src = src.replace("<p><en>One paragraph.</en><ja>一つの段落。</ja></p>",
                  "<section><heading><en>Scope</en><ja>範囲</ja></heading>"
                  "<p><en>The points:</en><ja>次の点：</ja></p>\n" + items + "</section>")
sys.stdout.write(src)
PY
if "$KYODO" render "$tmp/items.xml" -o "$tmp/items.pdf" 2> "$tmp/err"; then
    pdftotext -raw "$tmp/items.pdf" "$tmp/items.txt"
    python3 - "$tmp/items.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read().replace("\f", "\n")
# A label wider than the indent comes out glued to its text, or on a line
# of its own.
en = dict((int(n), label) for label, n in re.findall(r"^\((\w+)\)\s*Point (\d+)\.$", text, re.M))
ja = dict((int(n), label) for label, n in re.findall(r"^(\S+?)\s*第\s*(\d+)\s*点。$", text, re.M))
spots = {1: "a", 26: "z", 27: "aa", 52: "az", 53: "ba", 702: "zz", 703: "aaa", 760: "acf"}
kana = {1: "ア", 25: "ノ", 26: "ハ", 44: "ワ", 45: "アア", 88: "アワ", 89: "イア", 760: "チシ"}
ok = len(en) == 760 and len(set(en.values())) == 760 and all(en.get(n) == l for n, l in spots.items())
print(("ok" if ok else "not ok") + f" - limits: 760 items lettered a … z, aa … zz, aaa … acf, all distinct"
      + ("" if ok else f": {[(n, en.get(n)) for n in spots]}, {len(en)} found"))
ok = len(ja) == 760 and len(set(ja.values())) == 760 and all(ja.get(n) == l for n, l in kana.items())
print(("ok" if ok else "not ok") + f" - limits: 760 items in kana ア … ワ, アア …, all distinct"
      + ("" if ok else f": {[(n, ja.get(n)) for n in kana]}, {len(ja)} found"))
PY
else
    echo "not ok - limits: 760 items: $(head -n 2 "$tmp/err")"
fi

# SOURCE_DATE_EPOCH is a number of seconds, or an error (not 1970).
for epoch in 0 1502668800 253402300799 253402300800 -1 abc 1e9 99999999999999999999; do
    case $epoch in
        0 | 1502668800 | 253402300799) expected=ok ;;
        *) expected="kyodo: error: SOURCE_DATE_EPOCH '$epoch' must be a whole number of seconds from 0 to 253402300799" ;;
    esac
    SOURCE_DATE_EPOCH=$epoch expect "SOURCE_DATE_EPOCH=$epoch" $M "$expected"
done

# Out of memory: under a shrinking address-space limit, every run that fails
# says why (never a silent non-zero exit), and some fail in kyodo's own
# allocator with "kyodo: out of memory". (Not under AddressSanitizer, whose
# shadow memory needs more address space than any such limit.)
python3 - "$M" > "$tmp/big.xml" <<'PY'
import sys
src = open(sys.argv[1], encoding="utf-8").read()
ps = "".join(f"<p><en>Paragraph {i}: the delegations exchanged views on cyber policy.</en>"
             f"<ja>第{i}段落：双方はサイバー政策について意見交換を行った。</ja></p>\n" for i in range(4000))
sys.stdout.write(src.replace("<p><en>One paragraph.</en><ja>一つの段落。</ja></p>", ps))
PY
if [ -z "${KY_SANITIZED:-}" ]; then
    silent=0 oom=0 tried=0
    for mb in 1024 512 384 320 256 224 192 160 128 112 96 80 64 56 48; do
        tried=$((tried + 1))
        # An inner shell, so that its "Aborted" lands in the log, not the output.
        sh -c 'ulimit -v $1 && "$2" render "$3" -o "$4"; exit $?' sh $((mb * 1024)) "$KYODO" "$tmp/big.xml" \
            "$tmp/big.pdf" > "$tmp/err" 2>&1
        status=$?
        [ $status -ne 0 ] && [ ! -s "$tmp/err" ] && silent=$((silent + 1)) && echo "# ${mb} MB: status $status, no message" >&2
        grep -q "^kyodo: out of memory$" "$tmp/err" && oom=$((oom + 1))
        # libxml2 never prints by itself ("parser error : out of memory error").
        grep -q "parser error\|I/O error" "$tmp/err" && silent=$((silent + 1)) && echo "# ${mb} MB: raw libxml2 output" >&2
    done
    if [ $silent -eq 0 ] && [ $oom -gt 0 ]; then
        echo "ok - limits: out of memory: $oom of $tried address-space limits end in \"kyodo: out of memory\", none silently"
    else
        echo "not ok - limits: out of memory: $silent silent failures, $oom \"out of memory\" messages in $tried runs"
    fi
    silent=0 oom=0 tried=0
    for mb in 64 60 56 52 48 46 44 40; do
        tried=$((tried + 1))
        sh -c 'ulimit -v $1 && "$2" diff "$3" "$3"; exit $?' sh $((mb * 1024)) "$KYODO" "$tmp/big.xml" \
            > "$tmp/diff" 2> "$tmp/err"
        status=$?
        [ $status -ne 0 ] && [ ! -s "$tmp/err" ] && silent=$((silent + 1)) && echo "# diff in ${mb} MB: status $status, no message" >&2
        grep -q "out of memory" "$tmp/err" && oom=$((oom + 1))
    done
    if [ $silent -eq 0 ] && [ $oom -gt 0 ]; then
        echo "ok - limits: diff out of memory: $oom of $tried limits say \"out of memory\", none fails silently"
    else
        echo "not ok - limits: diff out of memory: $silent silent failures, $oom \"out of memory\" messages in $tried runs"
    fi
fi

# kyodo diff of two 20,000-paragraph drafts: time and peak memory linear
# in their length (the quadratic table took 34 s and 6.3 GB), and a
# reordering of everything answered quickly with a note.
python3 - "$M" "$tmp" <<'PY'
import random, sys
src = open(sys.argv[1], encoding="utf-8").read()
def paragraph(k):
    return (f"<p><en>Paragraph {k}: the delegations exchanged views on cyber policy.</en>"
            f"<ja>第{k}段落：双方はサイバー政策について意見交換を行った。</ja></p>")
def draft(name, keys):
    body = "\n".join(k if k.startswith("<p>") else paragraph(k) for k in keys)
    open(f"{sys.argv[2]}/{name}.xml", "w", encoding="utf-8").write(
        src.replace("<p><en>One paragraph.</en><ja>一つの段落。</ja></p>", body))
rnd = random.Random(1)
old = [str(i) for i in range(20000)]
new = []
for k in old:  # about 1 % dropped, 1 % rewritten, 1 % added
    r = rnd.random()
    if r < 0.01:
        continue
    if r < 0.02:
        k += " revised"
    elif r < 0.03:
        new.append(f"<p><en>Inserted before {k}.</en><ja>{k}の前に挿入。</ja></p>")
    new.append(k)
draft("old20k", old)
draft("new20k", new)
draft("reversed20k", old[::-1])
PY
measure() { # NAME OLD NEW SECONDS MEGABYTES: kyodo diff in bounds, status 1
    python3 - "$KYODO" "$2" "$3" "$4" "$5" "$tmp/$1.out" <<'PY'
import os, resource, subprocess, sys, time
kyodo, old, new, seconds, megabytes, out = sys.argv[1:]
start = time.monotonic()
with open(out, "w") as f:
    status = subprocess.run([kyodo, "diff", old, new], stdout=f, stderr=subprocess.STDOUT,
                            timeout=300).returncode
took = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
name = os.path.basename(new)
ok = status == 1 and took < float(seconds) and peak < float(megabytes)
print(("ok" if ok else "not ok") + f" - limits: diff of 20,000 paragraphs against {name}: "
      f"{took:.2f} s, peak {peak:.0f} MB (bounds {seconds} s, {megabytes} MB), status {status}")
PY
}
seconds=20 megabytes=300
[ -n "${KY_SANITIZED:-}" ] && seconds=120 megabytes=3000
measure revised "$tmp/old20k.xml" "$tmp/new20k.xml" $seconds $megabytes
changes=$(grep -c "^  changed paragraph" "$tmp/revised.out")
[ "$changes" -gt 300 ] && [ "$changes" -lt 500 ] && ! grep -q "quicker comparison" "$tmp/revised.out" \
    && echo "ok - limits: the 20,000-paragraph revision: $changes changed paragraphs (about 1 % per language)" \
    || echo "not ok - limits: the 20,000-paragraph revision: $changes changed paragraphs"
measure reversed "$tmp/old20k.xml" "$tmp/reversed20k.xml" $seconds $megabytes
moved=$(grep -c "^  moved paragraph" "$tmp/reversed.out")
[ "$moved" -ge 39990 ] && [ "$(grep -c "quicker comparison" "$tmp/reversed.out")" -eq 2 ] \
    && echo "ok - limits: 20,000 paragraphs reversed: $moved moved, with a note that the comparison was quicker" \
    || echo "not ok - limits: 20,000 paragraphs reversed: $moved moved: $(tail -n 2 "$tmp/reversed.out")"
