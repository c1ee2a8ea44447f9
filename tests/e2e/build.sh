#!/bin/sh
# kyodo build: parallel, incremental, atomic. Prints "ok - …" / "not ok - …".
# Usage: build.sh KYODO TMPDIR
set -u
KYODO=$1
tmp=$2/build
mkdir -p "$tmp/drafts" "$tmp/templates"
# A template of our own, so that changing it touches only its drafts.
cat > "$tmp/templates/house.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<template name="house" extends="joint-statement">
  <page left="30mm" right="30mm"/>
</template>
XML
# 60 drafts from the minimal one: every fifth on the house template, one broken.
i=1
while [ $i -le 60 ]; do
    template=""
    [ $((i % 5)) -eq 0 ] && template=' template="house"'
    sed -e "s/<statement>/<statement$template>/" \
        -e "s/One paragraph\\./Paragraph of draft $i./" \
        -e "s/一つの段落。/第${i}案の段落。/" tests/minimal.xml > "$tmp/drafts/d$i.xml"
    i=$((i + 1))
done
sed 's|</title>|</titel>|' tests/minimal.xml > "$tmp/drafts/d61-broken.xml"

out="$tmp/out"
"$KYODO" build "$tmp/drafts" -o "$out" -j 2 --template-dir "$tmp/templates" > "$tmp/log1" 2>&1
status=$?
pdfs=$(ls "$out"/*.pdf 2>/dev/null | wc -l)
[ $status -eq 1 ] && echo "ok - build: a broken draft makes the exit status 1" \
    || echo "not ok - build: exit status $status, expected 1"
[ "$pdfs" -eq 60 ] && echo "ok - build: the 60 good drafts are rendered despite the broken one" \
    || echo "not ok - build: $pdfs PDFs, expected 60"
grep -q "d61-broken.xml:[0-9]*:[0-9]*: error: </titel> closes <title> opened at line" "$tmp/log1" \
    && echo "ok - build: the broken draft is reported with file:line" \
    || echo "not ok - build: no file:line error for the broken draft: $(head -3 "$tmp/log1")"
grep -q "60 rendered, 0 up to date, 1 failed" "$tmp/log1" \
    && echo "ok - build: summary line (60 rendered, 1 failed)" \
    || echo "not ok - build: summary: $(tail -1 "$tmp/log1")"
ls "$out" | grep -q "\.tmp-" && echo "not ok - build: temporary files left" \
    || echo "ok - build: no temporary files left"

rm "$tmp/drafts/d61-broken.xml"
"$KYODO" build "$tmp/drafts" -o "$out" -j 2 --template-dir "$tmp/templates" > "$tmp/log2" 2>&1
grep -q "0 rendered, 60 up to date, 0 failed" "$tmp/log2" \
    && echo "ok - build: a second run rebuilds nothing" \
    || echo "not ok - build: second run: $(tail -1 "$tmp/log2")"

touch "$tmp/drafts"/*.xml
"$KYODO" build "$tmp/drafts" -o "$out" -j 2 --template-dir "$tmp/templates" > "$tmp/log3" 2>&1
grep -q "0 rendered, 60 up to date" "$tmp/log3" \
    && echo "ok - build: new modification times alone rebuild nothing (content hashes)" \
    || echo "not ok - build: after touch: $(tail -1 "$tmp/log3")"

echo "<!-- changed -->" >> "$tmp/templates/house.xml"
"$KYODO" build "$tmp/drafts" -o "$out" -j 2 --template-dir "$tmp/templates" > "$tmp/log4" 2>&1
rebuilt=$(grep -c ": rendered" "$tmp/log4")
wrong=$(grep ": rendered" "$tmp/log4" | grep -v -c -E "/d([0-9]*[05])-sequential")
[ "$rebuilt" -eq 12 ] && [ "$wrong" -eq 0 ] \
    && echo "ok - build: changing a template rebuilds its 12 drafts only" \
    || echo "not ok - build: template change rebuilt $rebuilt ($wrong not on it)"

sed -i "s/Paragraph of draft 7\\./Paragraph of draft seven./" "$tmp/drafts/d7.xml"
"$KYODO" build "$tmp/drafts" -o "$out" --template-dir "$tmp/templates" > "$tmp/log5" 2>&1
grep -q "1 rendered, 59 up to date" "$tmp/log5" \
    && echo "ok - build: editing a draft rebuilds that draft only" \
    || echo "not ok - build: after an edit: $(tail -1 "$tmp/log5")"

# Several layouts and copies in one run, named draft-layout-copy.
"$KYODO" build "$tmp/drafts/d1.xml" -o "$tmp/multi" --layout sequential,parallel --copy jp -q
[ -s "$tmp/multi/d1-sequential-jp.pdf" ] && [ -s "$tmp/multi/d1-parallel-jp.pdf" ] \
    && echo "ok - build: --layout and --copy lists name each PDF" \
    || echo "not ok - build: missing $(ls "$tmp/multi")"

# Interrupted mid-batch: no partial PDF, finished ones intact.
# (240 renders; the signal comes as soon as the first PDFs are there.)
"$KYODO" build "$tmp/drafts" -o "$tmp/killed" -j 2 --force --template-dir "$tmp/templates" \
    --layout sequential,parallel,en,ja > "$tmp/log6" 2>&1 &
pid=$!
tries=0
while [ "$(ls "$tmp/killed" 2>/dev/null | grep -c "\.pdf$")" -lt 4 ] && [ $tries -lt 500 ]; do
    sleep 0.01
    tries=$((tries + 1))
done
kill -INT $pid
wait $pid
status=$?
partial=$(ls "$tmp/killed" | grep -c "\.tmp-")
broken=0
for pdf in "$tmp/killed"/*.pdf; do
    [ -e "$pdf" ] || continue
    qpdf --check "$pdf" > /dev/null 2>&1 || broken=$((broken + 1))
done
[ $status -eq 130 ] && [ "$partial" -eq 0 ] && [ $broken -eq 0 ] && grep -q "interrupted" "$tmp/log6" \
    && echo "ok - build: SIGINT mid-batch: exit 130, no partial PDF, $(ls "$tmp/killed" | grep -c pdf) finished PDFs valid" \
    || echo "not ok - build: SIGINT: status $status, $partial partial, $broken broken: $(tail -1 "$tmp/log6")"
