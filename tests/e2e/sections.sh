#!/bin/sh
# Sections three levels deep: a heading at any level never ends a page.
# The headings of three nested sections stand after 14 … 50 one-line
# paragraphs, so that the stack of headings meets the foot of a page at every
# place it can; each layout of each draft is read back for the last line of
# every page (of every column). Prints "ok - …" / "not ok - …".
# Usage: sections.sh KYODO TMPDIR
set -u
KYODO=$1
tmp=$2/sections
mkdir -p "$tmp"

for n in $(seq 14 50); do
    python3 - "$n" > "$tmp/stack-$n.xml" <<'PY'
import sys
n = int(sys.argv[1])
fill = "".join(f"<p><en>Filler {i}.</en><ja>埋め草{i}。</ja></p>\n" for i in range(n))
print(f"""<?xml version="1.0" encoding="UTF-8"?>
<statement>
  <parties><party id="jp"><name><en>Japan</en><ja>日本</ja></name>
    <government><en>the Government of Japan</en><ja>日本国政府</ja></government></party></parties>
  <title><en>Sections</en><ja>節</ja></title>
  <preamble><p><en>Recognizing the filler,</en><ja>埋め草を認識し、</ja></p></preamble>
  <section><p><en>Start.</en><ja>始め。</ja></p>
{fill}</section>
  <section><heading><en>Headone</en><ja>見出一</ja></heading>
    <section><heading><en>Headtwo</en><ja>見出二</ja></heading>
      <section><heading><en>Headthree</en><ja>見出三</ja></heading>
        <p><en>After the headings.</en><ja>見出しの後。</ja></p>
        <p><en>And one more.</en><ja>もう一つ。</ja></p>
      </section>
    </section>
  </section>
</statement>""")
PY
done

for layout in sequential parallel; do
    failed=""
    for n in $(seq 14 50); do
        pdf="$tmp/stack-$n-$layout.pdf"
        if ! "$KYODO" render "$tmp/stack-$n.xml" --layout "$layout" -o "$pdf" 2> "$tmp/err"; then
            failed="$failed $n: $(cat "$tmp/err")"
            continue
        fi
        why=$(python3 - "$pdf" <<'PY'
import sys
sys.path.insert(0, "tests/e2e")
from pdftext import placed_text
heads = ("Headone", "Headtwo", "Headthree", "見出一", "見出二", "見出三")
bottom = 25 * 72 / 25.4  # the template's bottom margin: footers stand below it
lines = {}
for page, x, y, text in placed_text(sys.argv[1]):
    if y > bottom + 1:
        column = 0 if x < 595.28 / 2 else 1
        lines.setdefault((page, column), []).append((y, text))
bad = []
for (page, column), shown in sorted(lines.items()):
    lowest = min(y for y, _ in shown)
    last = "".join(t for y, t in shown if y == lowest)
    if any(h in last for h in heads):
        bad.append(f"page {page} ends with '{last}'")
print("; ".join(bad))
PY
)
        [ -n "$why" ] && failed="$failed $n: $why"
    done
    if [ -z "$failed" ]; then
        echo "ok - sections: no heading of any level ends a page ($layout, 14 … 50 paragraphs before)"
    else
        echo "not ok - sections: $layout:$failed" | cut -c1-600
    fi
done
