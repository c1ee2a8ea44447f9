#!/bin/sh
# Hostile and broken input: each must end in a clear error (or a correct
# PDF), never a crash, a hang, a leak of another file or a partial output.
# Prints "ok - …" / "not ok - …". Usage: hostile.sh KYODO TMPDIR
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/hostile
mkdir -p "$tmp"
M=tests/minimal.xml

expect_error() { # NAME PATTERN DRAFT [ARGS…]: exit 1, the message, no PDF, no crash
    name=$1 pattern=$2 draft=$3
    shift 3
    rm -f "$tmp/out.pdf"
    timeout 20 "$KYODO" render "$draft" -o "$tmp/out.pdf" "$@" > "$tmp/err" 2>&1
    status=$?
    if [ $status -eq 1 ] && [ ! -e "$tmp/out.pdf" ] && grep -q -- "$pattern" "$tmp/err"; then
        echo "ok - hostile: $name: $(head -n 1 "$tmp/err" | cut -c1-110)"
    else
        echo "not ok - hostile: $name: status $status: $(head -n 2 "$tmp/err")"
    fi
}

# An external entity naming a local file: its content appears nowhere.
echo "SECRET-$$-CONTENT" > "$tmp/secret.txt"
sed "s|<?xml version=\"1.0\" encoding=\"UTF-8\"?>|<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE statement [<!ENTITY xxe SYSTEM \"file://$tmp/secret.txt\">]>|; s|One paragraph.|One \&xxe; paragraph.|" \
    $M > "$tmp/xxe.xml"
timeout 20 "$KYODO" render "$tmp/xxe.xml" -o "$tmp/xxe.pdf" > "$tmp/err" 2>&1
leaked=0
grep -q "SECRET-$$" "$tmp/err" && leaked=1
[ -e "$tmp/xxe.pdf" ] && pdftotext "$tmp/xxe.pdf" - 2>/dev/null | grep -q "SECRET-$$" && leaked=1
[ -e "$tmp/xxe.pdf" ] && strings "$tmp/xxe.pdf" | grep -q "SECRET-$$" && leaked=1
[ $leaked -eq 0 ] && echo "ok - hostile: an external entity's file never reaches the PDF or the messages" \
    || echo "not ok - hostile: external entity content leaked"

# Billion laughs: entities are never expanded, so nothing grows.
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE statement ['
    echo '<!ENTITY l0 "ha">'
    i=1
    while [ $i -le 12 ]; do
        p=$((i - 1))
        echo "<!ENTITY l$i \"&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;\">"
        i=$((i + 1))
    done
    echo ']>'
    sed '1d; s|One paragraph.|&l12;|' $M
} > "$tmp/laughs.xml"
start=$(date +%s)
timeout 20 "$KYODO" render "$tmp/laughs.xml" -o "$tmp/laughs.pdf" > "$tmp/err" 2>&1
status=$?
[ $status -le 1 ] && [ $(($(date +%s) - start)) -lt 10 ] \
    && echo "ok - hostile: billion laughs ends at once (status $status), nothing expanded" \
    || echo "not ok - hostile: billion laughs: status $status"

# A 50 MB draft is refused before parsing.
head -c 52428800 /dev/zero | tr '\0' ' ' > "$tmp/huge.xml"
expect_error "a 50 MB draft" "larger than 16 MB" "$tmp/huge.xml"

# 10,000-deep nesting stops at libxml2's depth limit (no XML_PARSE_HUGE).
python3 -c "
import sys
d = 10000
sys.stdout.write('<statement>' + '<p>' * d + '</p>' * d + '</statement>')" > "$tmp/deep.xml"
expect_error "10,000-deep nesting" "Excessive depth" "$tmp/deep.xml"

# NUL bytes.
printf '<statement>\000</statement>' > "$tmp/nul.xml"
expect_error "NUL bytes" "error:" "$tmp/nul.xml"

# A text over 2 MB in one paragraph is refused with its line: setting it
# would take memory in proportion (about 700 bytes a character at worst).
python3 -c "
import sys
src = open('$M', encoding='utf-8').read()
sys.stdout.write(src.replace('One paragraph.', 'a漢' * 560000))" > "$tmp/huge-text.xml"
expect_error "a text over 2 MB" "<en> holds 2.1 MB of text; one text holds at most 2 MB" "$tmp/huge-text.xml"

# A 1 MB paragraph is set (over many pages), in time.
python3 -c "
import sys
src = open('$M', encoding='utf-8').read()
en = ' '.join(['The delegations exchanged views on cyber policy and international law.'] * 14000)
ja = '双方は、サイバー政策及び国際法について意見交換を行った。' * 7000
sys.stdout.write(src.replace('One paragraph.', en).replace('一つの段落。', ja))" > "$tmp/long.xml"
start=$(date +%s)
if timeout 120 "$KYODO" render "$tmp/long.xml" -o "$tmp/long.pdf" > "$tmp/err" 2>&1 &&
    qpdf --check "$tmp/long.pdf" > /dev/null 2>&1; then
    echo "ok - hostile: a 1 MB paragraph is set on $(pdfinfo "$tmp/long.pdf" | sed -n 's/^Pages: *//p') pages in $(($(date +%s) - start)) s"
else
    echo "not ok - hostile: a 1 MB paragraph: $(head -2 "$tmp/err")"
fi

# A font path that leaves the font directory is refused.
sed 's|file="truetype/liberation2/LiberationSerif-Regular.ttf"|file="../../../etc/passwd"|' fonts/fontset.xml > "$tmp/fontset.xml"
expect_error "a font path outside the font directory" "must be a path inside the font directory" $M --fontset "$tmp/fontset.xml"

# An unwritable target: the OS error, and no partial file.
expect_error "an unwritable target" "cannot create a file beside it" $M -o /proc/kyodo-test.pdf
# A full disk: the previous PDF stays intact.
mkdir -p "$tmp/tiny"
if mount -t tmpfs -o size=48k tmpfs "$tmp/tiny" 2>/dev/null; then
    "$KYODO" render $M -o "$tmp/tiny/statement.pdf"
    cp "$tmp/tiny/statement.pdf" "$tmp/previous.pdf"
    "$KYODO" render input/japan-india-cyber-dialogue.xml -o "$tmp/tiny/statement.pdf" 2> "$tmp/err"
    status=$?
    if [ $status -eq 1 ] && grep -q "No space left on device" "$tmp/err" &&
        cmp -s "$tmp/previous.pdf" "$tmp/tiny/statement.pdf" && [ "$(ls "$tmp/tiny" | wc -l)" -eq 1 ]; then
        echo "ok - hostile: a full disk reports ENOSPC and leaves the previous PDF intact"
    else
        echo "not ok - hostile: full disk: status $status: $(cat "$tmp/err"); $(ls "$tmp/tiny")"
    fi
    umount "$tmp/tiny"
else
    echo "# hostile: cannot mount a tmpfs here; the full-disk test did not run" >&2
fi
