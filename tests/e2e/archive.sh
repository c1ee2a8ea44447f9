#!/bin/sh
# PDFs a printer and an archive accept: reproducible bytes, metadata,
# outline, page labels, --print boxes and crop marks.
# Prints "ok - …" / "not ok - …". Usage: archive.sh KYODO TMPDIR
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/archive
mkdir -p "$tmp/elsewhere"
sample=$(pwd)/input/japan-india-cyber-dialogue.xml
"$KYODO" render "$sample" -o "$tmp/a.pdf"
"$KYODO" render "$sample" -o "$tmp/b.pdf"
cp "$sample" "$tmp/elsewhere/renamed.xml"
(cd "$tmp/elsewhere" && "$KYODO" render renamed.xml -o "$tmp/elsewhere/c.pdf")
if cmp -s "$tmp/a.pdf" "$tmp/b.pdf" && cmp -s "$tmp/a.pdf" "$tmp/elsewhere/c.pdf"; then
    echo "ok - archive: the same draft gives byte-identical PDFs, twice and from another path"
else
    echo "not ok - archive: output is not reproducible"
fi
SOURCE_DATE_EPOCH=1700000000 "$KYODO" render "$sample" -o "$tmp/epoch.pdf"
pdfinfo "$tmp/epoch.pdf" | grep -q "CreationDate: *Tue Nov 14 22:13:20 2023 UTC" \
    && echo "ok - archive: SOURCE_DATE_EPOCH sets the dates" \
    || echo "not ok - archive: SOURCE_DATE_EPOCH ignored: $(pdfinfo "$tmp/epoch.pdf" | grep CreationDate)"
info=$(pdfinfo "$tmp/a.pdf")
missing=""
for field in "Title: *Joint Statement on the Second Japan–India Cyber Dialogue" \
    "Subject: *第2回日印サイバー対話に関する共同声明" \
    "Author: *the Government of Japan; the Government of the Republic of India" \
    "Keywords: *joint-statement; final; revision 3" "Creator: *kyodo [0-9]" \
    "CreationDate: *Mon Aug 14 00:00:00 2017 UTC"; do
    printf '%s\n' "$info" | grep -q "^$field" || missing="$missing [$field]"
done
[ -z "$missing" ] && echo "ok - archive: metadata (title, subject, author, keywords, creator, dates from the draft)" \
    || echo "not ok - archive: metadata missing:$missing"
python3 - "$tmp/a.pdf" <<'PY'
import json, subprocess, sys
pdf = sys.argv[1]
q = lambda key: json.loads(subprocess.run(["qpdf", "--json", "--json-key=" + key, pdf],
                                          capture_output=True, text=True).stdout)[key]
outline = q("outlines")
tops = [o["title"] for o in outline]
kids = [[k["title"] for k in o["kids"]] for o in outline]
ok = (len(tops) == 2 and tops[1].startswith("第2回") and kids[0][0] == "Delegations"
      and kids[1][0] == "代表団" and len(kids[0]) == len(kids[1]) == 4)
print(("ok" if ok else "not ok") + " - archive: outline with each language's title and its headings"
      + ("" if ok else f": {tops} {kids}"))
labels = [l["label"].get("/P") for l in q("pagelabels")]
ok = labels == ["u:EN-", "u:JA-"]
print(("ok" if ok else "not ok") + " - archive: page labels EN-1…, JA-1…" + ("" if ok else f": {labels}"))
catalog = subprocess.run(["qpdf", "--qdf", "--coalesce-contents", "--object-streams=disable", pdf, "-"],
                         capture_output=True).stdout.decode("latin-1")
ok = "/Lang (en)" in catalog
print(("ok" if ok else "not ok") + " - archive: the document language is in the catalog")
PY
"$KYODO" render "$sample" --print -o "$tmp/print.pdf"
boxes=$(pdfinfo -box "$tmp/print.pdf")
trim=$(printf '%s\n' "$boxes" | sed -n 's/^TrimBox: *//p')
bleed=$(printf '%s\n' "$boxes" | sed -n 's/^BleedBox: *//p')
python3 - "$trim" "$bleed" "$tmp/print.pdf" <<'PY'
import re, subprocess, sys
trim = [float(v) for v in sys.argv[1].split()]
bleed = [float(v) for v in sys.argv[2].split()]
mm3 = 3 * 72 / 25.4
ok = (len(trim) == 4 and abs((trim[2] - trim[0]) - 595.28) < 0.1 and abs((trim[3] - trim[1]) - 841.89) < 0.1
      and all(abs(a - b) < 0.1 for a, b in zip(bleed, [trim[0] - mm3, trim[1] - mm3, trim[2] + mm3, trim[3] + mm3])))
print(("ok" if ok else "not ok") + " - print: A4 TrimBox with a 3 mm BleedBox" + ("" if ok else f": {trim} {bleed}"))
qdf = subprocess.run(["qpdf", "--qdf", "--coalesce-contents", "--object-streams=disable", sys.argv[3], "-"],
                     capture_output=True).stdout.decode("latin-1")
page1 = re.split(r"%% Contents for page \d+", qdf)[1].split("endstream")[0]
marks = len(re.findall(r"^0\.25 w", page1, re.M)) + len(re.findall(r"^[\d.]+ [\d.]+ m\n[\d.]+ [\d.]+ l\n[\d.]+ [\d.]+ m\n[\d.]+ [\d.]+ l\nS", page1, re.M))
ok = marks >= 4
print(("ok" if ok else "not ok") + f" - print: crop marks at the four corners")
PY
qpdf --check "$tmp/print.pdf" > /dev/null 2>&1 && echo "ok - print: qpdf --check passes" \
    || echo "not ok - print: qpdf --check fails"
