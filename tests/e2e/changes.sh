#!/bin/sh
# Revisions: kyodo diff, render --changes-since, build --changes-since REF.
# Prints "ok - …" / "not ok - …". Usage: changes.sh KYODO TMPDIR
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/changes
mkdir -p "$tmp"
# Three short paragraphs; the new revision rewrites the second only.
sed 's|<p><en>One paragraph.</en><ja>一つの段落。</ja></p>|<p><en>First.</en><ja>第一。</ja></p>\n  <p><en>Second.</en><ja>第二。</ja></p>\n  <p><en>Third.</en><ja>第三。</ja></p>|' \
    tests/minimal.xml > "$tmp/old.xml"
sed 's|<en>Second.</en><ja>第二。</ja>|<en>Second, revised.</en><ja>第二（改）。</ja>|' "$tmp/old.xml" > "$tmp/new.xml"

"$KYODO" diff "$tmp/old.xml" "$tmp/new.xml" > "$tmp/diff"
status=$?
if [ $status -eq 1 ] && [ "$(grep -c "changed paragraph 2" "$tmp/diff")" -eq 2 ] &&
    grep -q "+ Second, revised." "$tmp/diff" && grep -q -- "- 第二。" "$tmp/diff" &&
    ! grep -q "paragraph [13]" "$tmp/diff"; then
    echo "ok - diff: paragraph 2 changed in both languages, nothing else"
else
    echo "not ok - diff: status $status: $(cat "$tmp/diff")"
fi
"$KYODO" diff "$tmp/old.xml" "$tmp/old.xml" > "$tmp/same"
[ $? -eq 0 ] && [ "$(grep -c "no changes" "$tmp/same")" -eq 2 ] \
    && echo "ok - diff: a draft against itself has no changes" \
    || echo "not ok - diff: against itself: $(cat "$tmp/same")"

# Change bars (1.5 pt rules) only beside the changed paragraph's lines:
# one in English, one in Japanese, each level with its "2." label.
bars() { # PDF: one "bar page ytop ybottom" per bar, "label page y" per "2." label
    python3 - "$1" <<'PY'
import re, subprocess, sys
sys.path.insert(0, "tests/e2e")
from pdftext import placed_text
qdf = subprocess.run(["qpdf", "--qdf", "--coalesce-contents", "--object-streams=disable", sys.argv[1], "-"],
                     capture_output=True).stdout.decode("latin-1")
for page, chunk in enumerate(re.split(r"%% Contents for page \d+", qdf)[1:], 1):
    body = chunk.split("endstream")[0]
    for m in re.finditer(r"^1\.5 w\n[\d.]+ ([\d.]+) m\n[\d.]+ ([\d.]+) l", body, re.M):
        print("bar", page, m.group(1), m.group(2))
for page, x, y, text in placed_text(sys.argv[1]):
    if text in ("2.", "2"):
        print("label", page, y)
PY
}
"$KYODO" render "$tmp/new.xml" --changes-since "$tmp/old.xml" -o "$tmp/bars.pdf"
bars "$tmp/bars.pdf" > "$tmp/bars"
python3 - "$tmp/bars" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
bars = [(int(p), float(a), float(b)) for k, p, a, b in (r for r in rows if r[0] == "bar")]
labels = [(int(p), float(y)) for k, p, y in (r for r in rows if r[0] == "label")]
beside = all(any(p == lp and b <= y <= a for lp, y in labels) for p, a, b in bars)
ok = len(bars) == 2 and beside
print(("ok" if ok else "not ok") + f" - render --changes-since: {len(bars)} change bars, "
      f"{'each beside' if beside else 'not all beside'} the changed paragraph")
PY
"$KYODO" render "$tmp/old.xml" --changes-since "$tmp/old.xml" -o "$tmp/none.pdf"
[ "$(bars "$tmp/none.pdf" | grep -c "^bar")" -eq 0 ] \
    && echo "ok - render --changes-since: no bars when nothing changed" \
    || echo "not ok - render --changes-since: bars on an unchanged draft"

# build --changes-since REF reads the old draft from git.
repo=$tmp/repo
rm -rf "$repo" && mkdir -p "$repo"
cp "$tmp/old.xml" "$repo/draft.xml"
(cd "$repo" && git init -q && git add draft.xml &&
    git -c user.email=ci@kyodo -c user.name=ci commit -qm old) > /dev/null 2>&1
cp "$tmp/new.xml" "$repo/draft.xml"
(cd "$repo" && "$KYODO" build draft.xml -o out --changes-since HEAD -q)
[ "$(bars "$repo/out/draft-sequential.pdf" | grep -c "^bar")" -eq 2 ] \
    && echo "ok - build --changes-since HEAD: change bars against the committed revision" \
    || echo "not ok - build --changes-since HEAD: $(bars "$repo/out/draft-sequential.pdf")"
