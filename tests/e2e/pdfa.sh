#!/bin/sh
# PDF/A-2u (the default --standard): every sample in every layout, and the
# features that draw something (--print, --title-page, --changes-since, a
# party's copy), through Apache PDFBox Preflight and tests/check_pdfa.py;
# --standard none has none of it; no glyph 0 is ever drawn.
# Prints "ok - …" / "not ok - …". Usage: pdfa.sh KYODO TMPDIR
#
# veraPDF, the reference PDF/A validator, is not packaged for Debian:
# Preflight validates PDF/A-1b only, so the findings that are PDF/A-1's own
# are filtered (each below, with why); every other finding fails the test.
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/pdfa
mkdir -p "$tmp"
# pikepdf is Debian's (python3-pikepdf): the system Python's, whatever
# python3 comes first in PATH.
PY=/usr/bin/python3

# ---- the PDFs --------------------------------------------------------------
check=pdfa
. "$(dirname "$0")/renders.sh"
sample=input/japan-india-cyber-dialogue.xml
render_features "$sample"
render none "$sample" --standard none
render default "$sample"
none=$tmp/none.pdf
pdfa=$tmp/default.pdf
# shellcheck disable=SC2086 # the PDFs' paths are words
set -- $rendered
[ $# -gt 0 ] || echo "not ok - pdfa: nothing rendered"

# ---- check_pdfa.py: the checker of our own ------------------------------------
# A checker that dies (a traceback) fails the test too, not only its "not ok".
checker() { # ARGS...
    $PY tests/check_pdfa.py "$@" > "$tmp/check.out" 2> "$tmp/check.err"
    status=$?
    cat "$tmp/check.out"
    if [ $status -ne 0 ] && ! grep -q "^not ok - " "$tmp/check.out"; then
        echo "not ok - pdfa: check_pdfa.py $1 exited $status: $(tail -n 1 "$tmp/check.err")"
    fi
}
for pdf in "$@"; do
    [ "$pdf" = "$none" ] || checker "$pdf"
done
checker --none "$none"
# Its own test: a broken copy of a sample for each rule must fail it.
mkdir -p "$tmp/self-test"
checker --self-test "$tmp/japan-india-cyber-dialogue-sequential.pdf" "$tmp/self-test"

# ---- Apache PDFBox Preflight -------------------------------------------------
# The jars, found where their Debian packages put them: Preflight (in
# libpdfbox2-java itself), PDFBox, FontBox, XMPBox, and what Debian's
# package does not pull in although Preflight needs it on Java 17
# (javax.activation, javax.xml.bind).
jar() { # PACKAGE FILE
    dpkg -L "$1" 2> /dev/null | grep "/$2\$" | head -n 1
}
classpath=""
missing=""
for spec in libpdfbox2-java:preflight.jar libpdfbox2-java:pdfbox2.jar libpdfbox2-java:xmpbox.jar \
    libfontbox2-java:fontbox2.jar libcommons-logging-java:commons-logging.jar \
    libactivation-java:javax.activation.jar libjaxb-api-java:jaxb-api.jar; do
    path=$(jar "${spec%%:*}" "${spec#*:}")
    if [ -n "$path" ] && [ -f "$path" ]; then classpath="$classpath${classpath:+:}$path"
    else missing="$missing ${spec#*:} (${spec%%:*})"; fi
done
# No Java or a missing jar is a failure, never a skip: `make test` installs
# them (DEB_TEST_PKGS), so their absence is a broken setup.
if ! command -v java > /dev/null; then
    echo "not ok - pdfa: preflight: no java (Debian default-jre-headless; make test-deps)"
elif [ -n "$missing" ]; then
    echo "not ok - pdfa: preflight: missing$missing (make test-deps)"
else
    # One JVM for all the files (group mode): a list of paths in, one XML
    # report beside the list out.
    printf '%s\n' "$@" > "$tmp/preflight.list"
    rm -f "$tmp/preflight.list.preflight.xml"
    java -cp "$classpath" org.apache.pdfbox.preflight.Validator_A1b xml group "$tmp/preflight.list" \
        > "$tmp/preflight.log" 2>&1
    $PY - "$tmp/preflight.list.preflight.xml" "$none" "$@" <<'PY'
import os, sys
import xml.etree.ElementTree as ET

report, none, pdfs = sys.argv[1], sys.argv[2], sys.argv[3:]
# The findings of PDF/A-1b that PDF/A-2u does not share: (code, words of
# the message, why it is not a PDF/A-2 finding).
PDFA1_ONLY = [
    ("3.1.11", "The CIDSet entry is missing",
     "PDF/A-1 (6.3.5) requires a CIDSet in a subset CIDFont's descriptor; PDF/A-2 makes it "
     "optional (ISO 19005-2, 6.2.11.4.2), and kyodo writes none rather than one that could "
     "disagree with the font program"),
    ("7.11.1", "conformance level must be A or B",
     "PDF/A-1 has levels A and B; kyodo declares pdfaid:conformance U, a level of PDF/A-2"),
    ("7.11.2", "part must be 1",
     "kyodo declares pdfaid:part 2: the part Preflight cannot validate"),
]
def pdfa1_only(code, details):
    return any(code == c and words in details for c, words, _ in PDFA1_ONLY)

try:
    root = ET.parse(report).getroot()
except (OSError, ET.ParseError) as e:
    print("not ok - pdfa: preflight wrote no report (%s): see %s" % (e, report.replace(".list.preflight.xml", ".log")))
    sys.exit(0)
results = {p.get("name"): p for p in root.iter("preflight")}
for pdf in pdfs:
    name = os.path.basename(pdf)
    result = results.get(name)
    if result is None:
        print("not ok - pdfa: preflight %s: no result for it" % name)
        continue
    findings = [(e.findtext("code") or "", (e.findtext("details") or "").strip())
                for e in result.iter("error")]
    kept = [f for f in findings if not pdfa1_only(*f)]
    if pdf == none:
        # The control: a file with no OutputIntent, XMP or /ID must draw
        # findings the filter keeps, or Preflight (or the filter) sees nothing.
        ok = any(code == "1.4.1" for code, _ in kept) and any(code == "2.4.3" for code, _ in kept)
        print(("ok" if ok else "not ok") + " - pdfa: preflight finds what --standard none lacks "
              "(no /ID, DeviceGray without an OutputIntent)" + ("" if ok else ": %s" % kept[:4]))
        continue
    if kept:
        shown = "; ".join("%s %s" % f for f in kept[:4])
        print("not ok - pdfa: preflight %s: %d finding(s): %s" % (name, len(kept), shown))
    else:
        print("ok - pdfa: preflight %s: no finding but PDF/A-1's own (%d filtered)"
              % (name, len(findings)))
PY
fi

# ---- --standard none: the smallest file ----------------------------------------
size_none=$(wc -c < "$none")
size_pdfa=$(wc -c < "$pdfa")
if [ "$size_none" -lt "$size_pdfa" ]; then
    echo "ok - pdfa: --standard none is smaller ($size_none bytes, PDF/A-2u $size_pdfa)"
else
    echo "not ok - pdfa: --standard none is $size_none bytes, PDF/A-2u $size_pdfa"
fi
awk -v a="$size_pdfa" -v n="$size_none" \
    'BEGIN { printf "#   PDF/A-2u costs %d bytes (%.1f%%) on %s\n", a - n, 100 * (a - n) / n, "the sample" }'

# ---- reproducible: same bytes, an /ID from the content ------------------------
"$KYODO" render "$sample" -o "$tmp/again.pdf"
cmp -s "$pdfa" "$tmp/again.pdf" && echo "ok - pdfa: two renders give the same bytes, /ID and XMP included" \
    || echo "not ok - pdfa: two renders differ"
id_of() { $PY -c "import pikepdf, sys; print(bytes(pikepdf.open(sys.argv[1]).trailer.ID[0]).hex())" "$1"; }
SOURCE_DATE_EPOCH=1700000000 "$KYODO" render "$sample" -o "$tmp/epoch.pdf"
SOURCE_DATE_EPOCH=1700000000 "$KYODO" render "$sample" -o "$tmp/epoch2.pdf"
if cmp -s "$tmp/epoch.pdf" "$tmp/epoch2.pdf" &&
    grep -a -q "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>" "$tmp/epoch.pdf" &&
    grep -a -q "/CreationDate (D:20231114221320Z)" "$tmp/epoch.pdf"; then
    echo "ok - pdfa: SOURCE_DATE_EPOCH sets the /Info and XMP dates alike, reproducibly"
else
    echo "not ok - pdfa: SOURCE_DATE_EPOCH: $(grep -a -o "<xmp:CreateDate>[^<]*" "$tmp/epoch.pdf")"
fi
ids="$(id_of "$pdfa") $(id_of "$tmp/epoch.pdf") $(id_of "$tmp/japan-india-cyber-dialogue-en.pdf")"
unique=$(printf '%s\n' $ids | sort -u | wc -l)
[ "$unique" -eq 3 ] && echo "ok - pdfa: another date or another layout gives another /ID" \
    || echo "not ok - pdfa: /IDs do not follow the content: $ids"

# Dates of every width (the draft's year is 1 to 9999): /Info and XMP write
# the same instant with four-digit years.
for date in 0001-01-01 0005-03-04 0999-12-31 1000-01-01 1969-12-31 2017-08-14 9999-12-31; do
    sed "s/<issued date=\"[^\"]*\"/<issued date=\"$date\"/" "$sample" > "$tmp/dated.xml"
    if "$KYODO" render "$tmp/dated.xml" -o "$tmp/dated.pdf" 2> "$tmp/err" &&
        $PY tests/check_pdfa.py "$tmp/dated.pdf" > "$tmp/check.out" &&
        grep -a -q "<xmp:CreateDate>${date}T00:00:00Z<" "$tmp/dated.pdf"; then
        echo "ok - pdfa: issued $date: the same date in /Info and XMP"
    else
        echo "not ok - pdfa: issued $date: $(head -c 300 "$tmp/check.out") $(head -2 "$tmp/err")"
    fi
done

# A title with XML's own characters: the XMP escapes them and still says
# what /Info says.
sed 's|<en>Joint Statement on the Second <parties/> Cyber Dialogue</en>|<en>R\&amp;D \&lt;Cyber\&gt; "Dialogue" \&amp;amp; more</en>|' \
    "$sample" > "$tmp/escaped.xml"
if "$KYODO" render "$tmp/escaped.xml" -o "$tmp/escaped.pdf" 2> "$tmp/err" &&
    $PY tests/check_pdfa.py "$tmp/escaped.pdf" > "$tmp/check.out" &&
    pdfinfo "$tmp/escaped.pdf" | grep -q '^Title: *R&D <Cyber> “Dialogue” &amp; more$'; then
    echo "ok - pdfa: a title with & < > is escaped in the XMP, equal to /Info"
else
    echo "not ok - pdfa: escaped title: $(head -c 300 "$tmp/check.out") $(head -2 "$tmp/err")"
fi

# ---- no .notdef: a character the font lacks is an error -------------------------
# A copy of Liberation Serif without U+00AD, the soft hyphen kyodo draws where
# it hyphenates a word, as the English body face: the sample hyphenates.
fonts=$tmp/fonts
mkdir -p "$fonts"
ln -sf /usr/share/fonts/truetype "$fonts/truetype"
ln -sf /usr/share/fonts/opentype "$fonts/opentype"
python3 tests/e2e/drop_char.py /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf \
    "$fonts/noshy.ttf" AD
sed -e "s|<fontset dir=\"/usr/share/fonts\">|<fontset dir=\"$fonts\">|" \
    -e 's|<chain lang="en" role="body">serif mincho fallback</chain>|<face id="noshy" package="test" file="noshy.ttf" sha256="0000000000000000000000000000000000000000000000000000000000000000"/><chain lang="en" role="body">noshy mincho fallback</chain>|' \
    fonts/fontset.xml > "$tmp/noshy.xml"
for standard in pdfa-2u none; do
    "$KYODO" render "$sample" --layout en --fontset "$tmp/noshy.xml" --standard "$standard" \
        -o "$tmp/notdef.pdf" 2> "$tmp/err"
    status=$?
    expected="$fonts/noshy.ttf: error: font 'noshy' has no glyph for U+00AD '­' (the hyphen of a line broken inside a word), which the document sets in it; it would be drawn as the missing-glyph box (.notdef)"
    if [ $status -eq 1 ] && [ ! -e "$tmp/notdef.pdf" ] && [ "$(cat "$tmp/err")" = "$expected" ]; then
        echo "ok - pdfa: --standard $standard: a character its font lacks is an error, never glyph 0"
    else
        echo "not ok - pdfa: --standard $standard: glyph 0: exit $status, $(ls "$tmp/notdef.pdf" 2>/dev/null) $(head -2 "$tmp/err")"
    fi
    rm -f "$tmp/notdef.pdf"
done

# ---- build: the standard is part of what a PDF is built from ------------------
mkdir -p "$tmp/build-in"
cp "$sample" "$tmp/build-in/"
built=$tmp/build-out/japan-india-cyber-dialogue-sequential.pdf
header() { head -c 8 "$1" 2> /dev/null; }
"$KYODO" build "$tmp/build-in" -o "$tmp/build-out" -q > /dev/null 2>&1
first=$(header "$built")
"$KYODO" build "$tmp/build-in" -o "$tmp/build-out" -q --standard none > /dev/null 2>&1
second=$(header "$built")
"$KYODO" build "$tmp/build-in" -o "$tmp/build-out" --standard none > "$tmp/build.log" 2>&1
if [ "$first" = "%PDF-1.7" ] && [ "$second" = "%PDF-1.3" ] && grep -q "0 rendered, 1 up to date" "$tmp/build.log"; then
    echo "ok - pdfa: build renders again when --standard changes, and only then"
else
    echo "not ok - pdfa: build and --standard: $first then $second; $(tail -1 "$tmp/build.log")"
fi
"$KYODO" render "$sample" --standard pdfa-1b -o "$tmp/bad.pdf" > "$tmp/err" 2>&1
status=$?
if [ $status -eq 2 ] && grep -q "^kyodo: --standard takes pdfa-2u or none: pdfa-1b" "$tmp/err"; then
    echo "ok - pdfa: an unknown --standard is a usage error"
else
    echo "not ok - pdfa: --standard pdfa-1b: exit $status: $(head -1 "$tmp/err")"
fi
