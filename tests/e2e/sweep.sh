#!/bin/sh
# Sweeps of numbers a draft or template may carry: title lengths from 1 to
# 3000 characters (English and Japanese, in both languages' styles), and
# heading leadings from 8 to 40 pt in 1 pt steps beside a 10 pt body (the
# sample, and a draft of many headings and one-line paragraphs). Each
# must end in a PDF or a clean error (exit 1 with a message): never a signal,
# a sanitizer report or another exit status. Usage: sweep.sh KYODO TMPDIR
set -u
KYODO=$1
tmp=$2/sweep
mkdir -p "$tmp/templates"
sample=input/japan-india-cyber-dialogue.xml

python3 - "$tmp" "$sample" <<'PY'
import os, sys
tmp, sample = sys.argv[1], sys.argv[2]
minimal = open("tests/minimal.xml", encoding="utf-8").read()
words = "Joint Statement on the Comprehensive Partnership for Cooperation in Cyberspace and Beyond "
kanji = "包括的なサイバー空間における協力のための共同声明及び行動計画"
lengths = list(range(1, 20)) + list(range(20, 400, 29)) + list(range(400, 3001, 173))
for n in lengths:
    en = (words * (n // len(words) + 1))[:n].strip() or "J"
    ja = (kanji * (n // len(kanji) + 1))[:n]
    text = minimal.replace("Minimal Statement", en).replace("最小の声明", ja)
    open(os.path.join(tmp, f"title-{n}.xml"), "w", encoding="utf-8").write(text)
# Forty sections of a heading and two one-line paragraphs: headings leave
# the body's baseline grid, so their leading moves every later line, and
# some one-line paragraph meets each page's bottom at another height.
sections = "".join(
    f"<section><heading><en>Heading {i}</en><ja>見出し{i}</ja></heading>"
    f"<p><en>One line {i}.</en><ja>一行{i}。</ja></p><p><en>Another line.</en><ja>もう一行。</ja></p></section>\n"
    for i in range(40))
paragraph = "<p><en>One paragraph.</en><ja>一つの段落。</ja></p>"
open(os.path.join(tmp, "headings.xml"), "w", encoding="utf-8").write(minimal.replace(paragraph, sections))
for leading in range(8, 41):
    open(os.path.join(tmp, "templates", f"heading-{leading}.xml"), "w", encoding="utf-8").write(
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<template name="heading-{leading}" extends="joint-statement">\n'
        f'  <language code="en"><style name="heading" leading="{leading}pt"/>'
        f'<style name="body" size="10pt" leading="12pt"/></language>\n'
        f'  <language code="ja"><style name="heading" leading="{leading}pt"/>'
        f'<style name="body" size="10pt" leading="12pt"/></language>\n'
        f'</template>\n')
PY

# Prints nothing when the render ended well, else the case and what happened.
judge() { # CASE STATUS
    if [ "$2" -ge 128 ]; then
        echo "$1: signal $(($2 - 128))"
    elif grep -q -e "AddressSanitizer" -e "runtime error" -e "LeakSanitizer" "$tmp/err"; then
        echo "$1: $(grep -m 1 -e "AddressSanitizer" -e "runtime error" -e "LeakSanitizer" "$tmp/err" | cut -c1-120)"
    elif [ "$2" -eq 1 ] && ! grep -q ": error: " "$tmp/err"; then
        echo "$1: exit 1 without a message"
    elif [ "$2" -ne 0 ] && [ "$2" -ne 1 ]; then
        echo "$1: exit $2"
    fi
}

: > "$tmp/titles"
count=0
for draft in "$tmp"/title-*.xml; do
    n=$(basename "$draft" .xml | sed 's/title-//')
    for layout in sequential parallel; do
        timeout 30 "$KYODO" render "$draft" --layout "$layout" -o "$tmp/out.pdf" > "$tmp/err" 2>&1
        judge "title of $n characters, $layout" $? >> "$tmp/titles"
        count=$((count + 1))
    done
done
if [ -s "$tmp/titles" ]; then
    echo "not ok - sweep: titles: $(wc -l < "$tmp/titles") of $count renders failed: $(head -n 5 "$tmp/titles" | tr '\n' ';')"
else
    echo "ok - sweep: titles of 1 to 3000 characters ($count renders), none crashed"
fi

: > "$tmp/headings"
count=0
for template in "$tmp"/templates/heading-*.xml; do
    name=$(basename "$template" .xml)
    for draft in "$sample" "$tmp/headings.xml"; do
        for layout in sequential parallel; do
            timeout 30 "$KYODO" render "$draft" --layout "$layout" --template-dir "$tmp/templates" \
                --template "$name" -o "$tmp/out.pdf" > "$tmp/err" 2>&1
            judge "$name pt, $(basename "$draft" .xml), $layout" $? >> "$tmp/headings"
            count=$((count + 1))
        done
    done
done
if [ -s "$tmp/headings" ]; then
    echo "not ok - sweep: heading leadings: $(wc -l < "$tmp/headings") of $count renders failed: $(tr '\n' ';' < "$tmp/headings")"
else
    echo "ok - sweep: heading leadings of 8 to 40 pt beside a 10 pt body ($count renders), none crashed"
fi
