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
