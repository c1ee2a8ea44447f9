#!/bin/sh
# Signed instruments and official conventions: the fallback font, 字下げ,
# typographic quotes, place and date above the signatures, leaders who sign
# in their own capacity. Each is read back from the PDF.
# Prints "ok - …" / "not ok - …".
# Usage: conventions.sh KYODO TMPDIR
set -u
KYODO=$1
tmp=$2/conventions
mkdir -p "$tmp"

parties='<parties>
    <party id="jp"><name><en>Japan</en><ja>日本</ja></name>
      <government><en>the Government of Japan</en><ja>日本国政府</ja></government></party>
    <party id="in"><name><en>India</en><ja>インド</ja></name>
      <government><en>the Government of the Republic of India</en><ja>インド共和国政府</ja></government></party>
  </parties>'

# --- 1. The fallback font: ₹ is in neither Liberation nor IPAex, but in DejaVu Serif.
cat > "$tmp/rupee.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<statement>
  $parties
  <title><en>Loans of ₹5,000 crore</en><ja>5,000クロール₹の借款</ja></title>
  <p><en>A loan of ₹1,500 crore.</en><ja>₹1,500クロールの借款。</ja></p>
</statement>
XML
if "$KYODO" render "$tmp/rupee.xml" -o "$tmp/rupee.pdf" 2> "$tmp/err"; then
    fonts=$(pdffonts "$tmp/rupee.pdf")
    # Embedded (emb yes) and subset (a six-letter tag, sub yes) like the others.
    if printf '%s\n' "$fonts" | grep -Eq '^[A-Z]{6}\+DejaVuSerif.* yes +yes +yes '; then
        echo "ok - fallback font: ₹ is set in an embedded subset of DejaVu Serif"
    else
        echo "not ok - fallback font: no DejaVu Serif subset: $fonts"
    fi
    # The titles are bold: the bold chains end in the bold fallback.
    if printf '%s\n' "$fonts" | grep -Eq '^[A-Z]{6}\+DejaVuSerif-Bold.* yes +yes +yes '; then
        echo "ok - fallback font: ₹ in a bold title is set in DejaVu Serif Bold"
    else
        echo "not ok - fallback font: no DejaVu Serif Bold subset: $fonts"
    fi
    # The fallback face passes the PDF/A-2u checks as the others do.
    /usr/bin/python3 tests/check_pdfa.py "$tmp/rupee.pdf" | sed 's/^\(not \)*ok - pdfa /&fallback font: /'
    count=$(pdftotext "$tmp/rupee.pdf" - | grep -o '₹' | wc -l)
    if [ "$count" -ge 4 ]; then
        echo "ok - fallback font: pdftotext gives ₹ back ($count times, titles and text, both languages)"
    else
        echo "not ok - fallback font: pdftotext gives ₹ $count times, expected 4"
    fi
else
    echo "not ok - fallback font: ₹ does not render: $(head -3 "$tmp/err")"
fi
if "$KYODO" fonts > "$tmp/fonts" 2>&1 && grep -q '^  fallback  *fonts-dejavu-core  *.*/DejaVuSerif.ttf$' "$tmp/fonts"; then
    echo "ok - fallback font: kyodo fonts lists it with its package and checks its SHA-256"
else
    echo "not ok - fallback font: kyodo fonts: $(cat "$tmp/fonts")"
fi
if grep -q 'fonts-dejavu-core' Makefile && sed -n '/^DEB_PKGS/,/^DEB_TEST_PKGS/p' Makefile | grep -q fonts-dejavu-core; then
    echo "ok - fallback font: make deps installs fonts-dejavu-core"
else
    echo "not ok - fallback font: fonts-dejavu-core is not in DEB_PKGS"
fi

# --- 2. 字下げ: an unnumbered Japanese paragraph starts one em (10.5 pt) in,
# typed or not; a numbered one's text stands where it did.
cat > "$tmp/jisage.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<statement>
  $parties
  <title><en>Indent</en><ja>字下げ</ja></title>
  <p numbered="no"><en>Untyped.</en><ja>日本国政府及びインド共和国政府は、</ja></p>
  <p numbered="no"><en>Typed.</en><ja>　次のとおり認識を共有した。</ja></p>
  <p><en>Numbered.</en><ja>双方は、協力する。</ja></p>
</statement>
XML
for layout in ja sequential parallel; do
    if "$KYODO" render "$tmp/jisage.xml" --layout "$layout" -o "$tmp/jisage.pdf" 2> "$tmp/err"; then
        why=$(python3 - "$tmp/jisage.pdf" <<'PY'
import sys
sys.path.insert(0, "tests/e2e")
from pdftext import placed_text
found = {}
number_x = None
items = list(placed_text(sys.argv[1]))
for (page, x, y, text), after in zip(items, items[1:] + [None]):
    if text == "1" and after and after[3] == "．":
        number_x = x
for page, x, y, text in items:
    for key in ("日本国政府及び", "次のとおり"):
        if key in text:
            found[key] = (x, text[: text.index(key)])
# Both unnumbered paragraphs start with one ideographic space (one em of the
# body size, drawn, so that copied text has it too) at the left edge, where
# the number of a numbered paragraph stands.
bad = [f"{key}: {found.get(key)}" for key in ("日本国政府及び", "次のとおり")
       if key not in found or found[key][1] != "\u3000" or abs(found[key][0] - number_x) > 0.01]
print("; ".join(bad))
PY
)
        if [ -z "$why" ]; then
            echo "ok - 字下げ ($layout): unnumbered Japanese paragraphs start one em in, typed or not"
        else
            echo "not ok - 字下げ ($layout): $why"
        fi
    else
        echo "not ok - 字下げ ($layout): $(head -3 "$tmp/err")"
    fi
done

# The indent is one em at every body size and measure: the first glyph after
# it stands one body size right of the margin (pdftotext's boxes leave the
# ideographic space out).
failed=""
for template in measure-75-size-9 measure-65-size-9 measure-55-size-9 measure-75-size-105 \
    measure-65-size-105 measure-55-size-105 measure-75-size-12 measure-65-size-12 measure-55-size-12; do
    size=${template##*-size-}
    [ "$size" = 105 ] && size=10.5
    margin=${template#measure-}
    margin=${margin%%-*}
    if ! "$KYODO" render "$tmp/jisage.xml" --layout ja --template-dir tests/typesetting/sizes \
        --template "$template" -o "$tmp/jisage-$template.pdf" 2> "$tmp/err"; then
        failed="$failed $template: $(head -1 "$tmp/err")"
        continue
    fi
    why=$(pdftotext -bbox "$tmp/jisage-$template.pdf" - | python3 -c "
import re, sys
size, margin = float(sys.argv[1]), float(sys.argv[2]) * 72 / 25.4
starts = {}
for x, word in re.findall(r'<word xMin=\"([0-9.]+)\"[^>]*>([^<]*)</word>', sys.stdin.read()):
    for key in ('日本国政府及び', '次のとおり'):
        if word.startswith(key) and key not in starts:
            starts[key] = float(x) - margin
bad = {k: round(v, 3) for k, v in starts.items() if abs(v - size) > 0.01}
print(f'indents {bad}, expected {size}' if bad or len(starts) != 2 else '')
" "$size" "$margin")
    [ -n "$why" ] && failed="$failed $template: $why"
done
if [ -z "$failed" ]; then
    echo "ok - 字下げ: one em at 9, 10.5 and 12 pt on 60, 80 and 100 mm measures, typed or not"
else
    echo "not ok - 字下げ:$failed"
fi

# --- 4 and 5. A leaders' declaration: no dateline under the title, the place
# and date after the last paragraph and before the signatures; the leader
# who signs in his own capacity has no "For the Government of …" line.
cat > "$tmp/leaders.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<statement template="joint-declaration">
  $parties
  <title><en>Joint Declaration on Security Cooperation</en><ja>安全保障協力に関する共同宣言</ja></title>
  <issued date="2008-10-22" position="end"><place><en>Tokyo</en><ja>東京</ja></place></issued>
  <p><en>The two countries will cooperate.</en><ja>両国は協力する。</ja></p>
  <p><en>This is the last paragraph.</en><ja>これが最後の段落である。</ja></p>
  <signatures>
    <signatory party="jp" capacity="own"><name><en>Taro Aso</en><ja>麻生太郎</ja></name>
      <title><en>Prime Minister of Japan</en><ja>日本国内閣総理大臣</ja></title></signatory>
    <signatory party="in"><name><en>Manmohan Singh</en><ja>マンモハン・シン</ja></name>
      <title><en>Prime Minister of the Republic of India</en><ja>インド共和国首相</ja></title></signatory>
  </signatures>
</statement>
XML
for layout in sequential parallel; do
    if "$KYODO" render "$tmp/leaders.xml" --layout "$layout" -o "$tmp/leaders.pdf" 2> "$tmp/err"; then
        text=$(pdftotext -raw "$tmp/leaders.pdf" - | tr -d ' \n')
        at() { printf '%s' "$text" | awk -v s="$1" '{ print index($0, s) }'; }
        for pair in "Thisisthelastparagraph.|DoneatTokyoon22October2008|TaroAso" \
            "これが最後の段落である。|2008年10月22日に東京で|麻生太郎"; do
            last=${pair%%|*} rest=${pair#*|} done_at=${rest%%|*} name=${rest#*|}
            a=$(at "$last") b=$(at "$done_at") c=$(at "$name") first=$(at "$done_at")
            title=$(at "共同宣言")
            if [ "$a" -gt 0 ] && [ "$b" -gt "$a" ] && [ "$c" -gt "$b" ] &&
                [ "$(printf '%s' "$text" | grep -o "$done_at" | wc -l)" -eq 1 ]; then
                echo "ok - place and date at the end ($layout): '$done_at' after the last paragraph, before the signatures, once"
            else
                echo "not ok - place and date at the end ($layout): positions $a $b $c of $last / $done_at / $name"
            fi
        done
        case "$text" in
            *"22October2008"*"Tokyo"*"DoneatTokyo"*|*"Tokyo,22October2008"*)
                echo "not ok - place and date at the end ($layout): a dateline under the title too" ;;
            *) echo "ok - place and date at the end ($layout): no dateline under the title" ;;
        esac
        for pair in "ForthegovernmentofJapan|FortheGovernmentofJapan" "日本国政府のために|日本国政府のために"; do
            own=${pair#*|}
            case "$text" in
                *"$own"*) echo "not ok - own capacity ($layout): '$own' is printed" ;;
                *) echo "ok - own capacity ($layout): no '$own' line for the leader who signs in his own capacity" ;;
            esac
        done
        case "$text" in
            *FortheGovernmentoftheRepublicofIndia*インド共和国政府のために*|*インド共和国政府のために*FortheGovernmentoftheRepublicofIndia*)
                echo "ok - own capacity ($layout): the other signatory still signs for his government" ;;
            *) echo "not ok - own capacity ($layout): the For-line of India is missing" ;;
        esac
    else
        echo "not ok - leaders' declaration ($layout): $(head -3 "$tmp/err")"
    fi
done
# The place and date at the end stand for the closing formula: check asks
# for no <done>.
if "$KYODO" check "$tmp/leaders.xml" > "$tmp/check" 2>&1 && [ ! -s "$tmp/check" ]; then
    echo "ok - place and date at the end: check has no finding on the leaders' declaration without <done>"
else
    echo "not ok - place and date at the end: check: $(head -3 "$tmp/check")"
fi

# --- 3. Smart quotes: ASCII quotes in English come out typographic, across
# <em>; in Japanese next to Japanese they stay; smart-quotes="no" keeps them,
# "report" keeps them and check reports them.
cat > "$tmp/quotes.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<statement>
  $parties
  <title><en>The "Quad" and 'Vision 2025'</en><ja>「クアッド」と「ビジョン2025」</ja></title>
  <p><en>The leaders said <em>"it's</em> the '90s' rock 'n' roll" today.</en>
    <ja>首脳は"Act East"政策と90年代を語った。</ja></p>
</statement>
XML
mkdir -p "$tmp/quote-templates"
for mode in no report; do
    printf '<template name="quotes-%s" extends="joint-statement"><typesetting smart-quotes="%s"/></template>\n' \
        "$mode" "$mode" > "$tmp/quote-templates/quotes-$mode.xml"
done
if "$KYODO" render "$tmp/quotes.xml" -o "$tmp/quotes.pdf" 2> "$tmp/err"; then
    text=$(pdftotext "$tmp/quotes.pdf" - | tr -d ' \n')
    for want in 'The“Quad”and‘Vision2025’' 'said“it’sthe’90s’rock’n’roll”today.' '首脳は"ActEast"政策'; do
        case "$text" in
            *"$want"*) echo "ok - smart quotes: the PDF reads $want" ;;
            *) echo "not ok - smart quotes: no '$want' in: $text" ;;
        esac
    done
else
    echo "not ok - smart quotes: $(head -3 "$tmp/err")"
fi
for mode in no report; do
    if "$KYODO" render "$tmp/quotes.xml" --template-dir "$tmp/quote-templates" --template "quotes-$mode" \
        -o "$tmp/quotes-$mode.pdf" 2> "$tmp/err"; then
        case "$(pdftotext "$tmp/quotes-$mode.pdf" - | tr '\n' ' ')" in
            *"“"*|*"’"*|*"‘"*|*"”"*) echo "not ok - smart-quotes=\"$mode\": typographic quotes in the PDF" ;;
            *'said "it'"'"'s the'*) echo "ok - smart-quotes=\"$mode\": the quotes stand as typed" ;;
            *) echo "not ok - smart-quotes=\"$mode\": text not found" ;;
        esac
    else
        echo "not ok - smart-quotes=\"$mode\": $(head -3 "$tmp/err")"
    fi
    "$KYODO" check "$tmp/quotes.xml" --template-dir "$tmp/quote-templates" --template "quotes-$mode" \
        > "$tmp/check" 2>&1
    status=$?
    findings=$(grep -c '\[ascii-quotes\]$' "$tmp/check")
    case $mode in
        no) [ "$status" -eq 0 ] && [ "$findings" -eq 0 ] &&
            echo "ok - smart-quotes=\"no\": check reports nothing" ||
            echo "not ok - smart-quotes=\"no\": check: $(cat "$tmp/check")" ;;
        report)
            if [ "$status" -eq 0 ] && [ "$findings" -eq 2 ] &&
                grep -q 'quotes.xml:9: warning: 4 ASCII quotes in the English title' "$tmp/check" &&
                grep -q 'quotes.xml:10: warning: 7 ASCII quotes in the English paragraph 1' "$tmp/check"; then
                echo "ok - smart-quotes=\"report\": check reports the English title's and paragraph's quotes (warnings)"
            else
                echo "not ok - smart-quotes=\"report\": check: $(cat "$tmp/check")"
            fi ;;
    esac
done
