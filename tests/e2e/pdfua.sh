#!/bin/sh
# Tagged PDF (PDF/UA-1 structure, the default with --standard pdfa-2u):
# tests/check_pdfua.py on every sample in every layout and on the features
# that draw something (--print, --title-page, --changes-since, a party's
# copy), its self-test, --standard none without structure, and the reading
# order of the structure tree (pdfinfo -struct-text): the whole English text,
# then the whole Japanese text, in every layout.
# Prints "ok - …" / "not ok - …". Usage: pdfua.sh KYODO TMPDIR
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/pdfua
mkdir -p "$tmp"
PY=/usr/bin/python3 # python3-pikepdf is the system Python's

check=pdfua
. "$(dirname "$0")/renders.sh"
sample=input/japan-india-summit-2015.xml
render_features "$sample"
"$KYODO" render "$sample" --standard none -o "$tmp/none.pdf" 2> "$tmp/err" ||
    echo "not ok - pdfua: render none: $(head -3 "$tmp/err")"

# A checker that dies (a traceback) fails the test too.
checker() { # ARGS...
    $PY tests/check_pdfua.py "$@" > "$tmp/check.out" 2> "$tmp/check.err"
    status=$?
    cat "$tmp/check.out"
    if [ $status -ne 0 ] || ! grep -q "^ok - \|^not ok - " "$tmp/check.out"; then
        echo "not ok - pdfua: check_pdfua.py $1 exited $status: $(tail -n 1 "$tmp/check.err")"
    fi
}
# shellcheck disable=SC2086 # the PDFs' paths are words
checker $rendered
checker --none "$tmp/none.pdf"
mkdir -p "$tmp/self-test"
checker --self-test "$tmp/japan-india-summit-2015-parallel.pdf" "$tmp/self-test"

# ---- inline elements: <foreign>, links, notes ------------------------------------
# The sample's <foreign lang="en"> in Japanese text is a Span with /Lang en
# in the Japanese Part, and is set exactly as the same text without the
# markup.
sed 's|<foreign lang="en">\([^<]*\)</foreign>|\1|' "$sample" > "$tmp/unmarked.xml"
render unmarked "$tmp/unmarked.xml"
$PY - "$tmp/japan-india-summit-2015-sequential.pdf" "$tmp/unmarked.pdf" <<'PY'
import sys
import pikepdf

def spans(path):
    pdf = pikepdf.open(path)
    out = []
    def go(e, lang, depth=0):
        lang = str(e.get("/Lang", lang))
        if e.get("/S") == "/Span":
            out.append(lang)
        k = e.get("/K")
        for kid in (k if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and depth < 50:
                go(kid, lang, depth + 1)
    go(pdf.Root.StructTreeRoot.K, "")
    return out

found = spans(sys.argv[1])
print(("ok" if found == ["en"] else "not ok")
      + " - pdfua: the sample's <foreign lang=\"en\"> is one Span with /Lang en (found %s)" % found)
PY
# The same pixels: the same faces, the same glyphs in the same places.
pdftoppm -r 60 -gray "$tmp/japan-india-summit-2015-sequential.pdf" "$tmp/marked"
pdftoppm -r 60 -gray "$tmp/unmarked.pdf" "$tmp/unmarked"
if [ -n "$(ls "$tmp"/marked-*.pgm 2> /dev/null)" ] &&
    [ "$(cat "$tmp"/marked-*.pgm | md5sum)" = "$(cat "$tmp"/unmarked-*.pgm | md5sum)" ]; then
    echo "ok - pdfua: a <foreign> phrase is set exactly as the same text without the markup"
else
    echo "not ok - pdfua: a <foreign> phrase is not set as the same text without the markup"
fi

# English in Japanese text without <foreign> (a link's text, a phrase) is
# part of the Japanese paragraph: the lang rule accepts it, as it accepts a
# <foreign> phrase of either language; a Japanese paragraph that is all
# English (a link's text) it does not.
$PY - "$tmp" <<'PY'
import sys
sys.path.insert(0, "tests/e2e")
import hostile_inputs as h
para = ('<p><en>See <link href="https://example.org/">the <foreign lang="ja">Nihon Shoki</foreign> '
        'page</link>.</en><ja>詳しくは<link href="https://example.org/">Make in India Programme '
        'Website</link>及びMake in India Programme Officeを参照。<foreign lang="en">Japan and '
        'India Vision 2025</foreign></ja></p>')
open(sys.argv[1] + "/english-in-japanese.xml", "w", encoding="utf-8").write(h.MINIMAL.replace(h.PARAGRAPH, para))
whole = '<p numbered="no"><en>See the page.</en><ja><link href="https://example.org/">Make in India Programme Website</link></ja></p>'
open(sys.argv[1] + "/all-english.xml", "w", encoding="utf-8").write(h.MINIMAL.replace(h.PARAGRAPH, whole))
PY
for name in english-in-japanese all-english; do
    "$KYODO" render "$tmp/$name.xml" -o "$tmp/$name.pdf" 2> "$tmp/err" ||
        echo "not ok - pdfua: render $name: $(head -2 "$tmp/err")"
done
$PY tests/check_pdfua.py "$tmp/english-in-japanese.pdf"
if $PY tests/check_pdfua.py "$tmp/all-english.pdf" | grep -q "^not ok - pdfua: all-english.pdf lang: Link in 'ja' has only Latin text\|^not ok - pdfua: all-english.pdf lang: /P in 'ja' has only Latin text"; then
    echo "ok - pdfua: a Japanese paragraph that is all English (a link's text) fails the lang rule"
else
    echo "not ok - pdfua: a Japanese paragraph that is all English passes the lang rule: $($PY tests/check_pdfua.py "$tmp/all-english.pdf")"
fi

# ---- counts: more blocks than one PDF array holds ------------------------------
# A Part holds at most 8,191 elements (the longest array ISO 32000-1, annex
# C, asks readers to hold): a language
# with more blocks goes on in a second Part of that language. Swept across
# that bound, each must render tagged (and never fail without a message).
for n in 100 8189 8190 8191 8192 16400; do
    $PY -c "import sys; sys.path.insert(0, 'tests/e2e'); import hostile_inputs as h; h.paragraphs($n, '$tmp')" > /dev/null
    if "$KYODO" render "$tmp/paragraphs.xml" --layout en -o "$tmp/many.pdf" 2> "$tmp/err"; then
        parts=$($PY -c "
import pikepdf
pdf = pikepdf.open('$tmp/many.pdf')
doc = pdf.Root.StructTreeRoot.K
print(sum(len(p.K) for p in doc.K if p.S == '/Part'), len(doc.K))")
        # The title and the n paragraphs, and a Part per 8,191 of them.
        want="$((n + 1)) $(((n + 1 + 8190) / 8191))"
        [ "$parts" = "$want" ] && echo "ok - pdfua: $n paragraphs: all tagged, in $(echo "$parts" | cut -d' ' -f2) Part(s)" \
            || echo "not ok - pdfua: $n paragraphs: $parts elements and Parts, not $want"
    else
        echo "not ok - pdfua: $n paragraphs do not render: $(head -2 "$tmp/err")"
    fi
done

# A second Part of a language stands after the first, before the other
# language's, although in the parallel layout it begins after that one.
$PY -c "import sys; sys.path.insert(0, 'tests/e2e'); import hostile_inputs as h; h.paragraphs(8200, '$tmp')" > /dev/null
if "$KYODO" render "$tmp/paragraphs.xml" --layout parallel -o "$tmp/many.pdf" 2> "$tmp/err"; then
    langs=$($PY -c "
import pikepdf
pdf = pikepdf.open('$tmp/many.pdf')
print(' '.join(str(p.Lang) for p in pdf.Root.StructTreeRoot.K.K))")
    [ "$langs" = "en en ja ja" ] && echo "ok - pdfua: 8,200 paragraphs in parallel: Parts en en ja ja" \
        || echo "not ok - pdfua: 8,200 paragraphs in parallel: Parts $langs"
else
    echo "not ok - pdfua: 8,200 paragraphs in parallel do not render: $(head -2 "$tmp/err")"
fi
# More items in one list than the PDF library writes in one array: an
# error that says so, never a silent failure.
for n in 32767 32768; do
    $PY - "$n" "$tmp/list.xml" <<'PY'
import sys
sys.path.insert(0, "tests/e2e")
import hostile_inputs as h
items = "<item><en>An item.</en><ja>一つの項目。</ja></item>" * int(sys.argv[1])
open(sys.argv[2], "w", encoding="utf-8").write(h.MINIMAL.replace(h.PARAGRAPH, '<list style="bullet">' + items + "</list>"))
PY
    "$KYODO" render "$tmp/list.xml" --layout en -o "$tmp/list.pdf" 2> "$tmp/err"
    status=$?
    if [ "$n" = 32767 ]; then
        [ $status = 0 ] && echo "ok - pdfua: a list of $n items renders" \
            || echo "not ok - pdfua: a list of $n items: $(head -2 "$tmp/err")"
    else
        [ $status = 1 ] && grep -q "error: more than 32,767 pages or items in one list" "$tmp/err" \
            && echo "ok - pdfua: a list of $n items is an error that says why" \
            || echo "not ok - pdfua: a list of $n items: exit $status: $(head -2 "$tmp/err")"
    fi
done

# ---- reading order: pdfinfo -struct-text ---------------------------------------
for draft in input/*.xml; do
    name=$(basename "$draft" .xml)
    for layout in sequential parallel en ja; do
        pdfinfo -struct-text "$tmp/$name-$layout.pdf" > "$tmp/$name-$layout.struct" 2>&1
        pdftotext -raw "$tmp/$name-$layout.pdf" "$tmp/$name-$layout.txt" 2>&1
    done
    $PY - "$tmp/$name" <<'PY'
import re, sys
base = sys.argv[1]
name = base.rsplit("/", 1)[-1]

def squash(text):
    return re.sub(r"[\s\u00ad]", "", text)

def struct(layout):
    """The struct text's strings in order, and which are notes'."""
    out = []
    stack = []  # (indent, element name)
    for line in open("%s-%s.struct" % (base, layout), encoding="utf-8"):
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if body.startswith('"'):
            out.append((squash(body[1:-1] if body.endswith('"') else body[1:]),
                        any(e.startswith("Note") for _, e in stack)))
        elif body:
            stack.append((indent, body))
    return out

texts = {layout: struct(layout) for layout in ("sequential", "parallel", "en", "ja")}
whole = lambda layout: "".join(t for t, _ in texts[layout])
for layout in ("en", "ja"):
    ok = bool(whole(layout))
    print(("ok" if ok else "not ok") + " - pdfua: %s %s: the structure has text" % (name, layout))
    # In the page's order: every text of the tree (notes aside, which stand
    # at the page's foot) is found in pdftotext's text after the one before.
    page = squash(open("%s-%s.txt" % (base, layout), encoding="utf-8").read())
    at, lost = 0, []
    for text, note in texts[layout]:
        where = page.find(text) if note else page.find(text, at)
        if where < 0:
            lost.append(text[:40])
        elif not note:
            at = where + len(text)
    print(("ok" if not lost else "not ok") + " - pdfua: %s %s: the structure reads as the page does%s"
          % (name, layout, "" if not lost else ": lost or out of order: %s" % lost[:3]))
expected = whole("en") + whole("ja")
for layout in ("sequential", "parallel"):
    got = whole(layout)
    ok = got == expected
    if not ok:
        n = next((i for i in range(min(len(got), len(expected))) if got[i] != expected[i]), min(len(got), len(expected)))
        why = ": differs at %d: %r vs %r" % (n, got[n:n + 40], expected[n:n + 40])
    print(("ok" if ok else "not ok") + " - pdfua: %s %s: the structure reads the whole English text, then the whole Japanese%s"
          % (name, layout, "" if ok else why))
PY
done
