#!/bin/sh
# Drafts in legacy encodings: declared ones are decoded by libxml2 (through
# iconv), undeclared ones with --encoding; each must give the very PDF the
# UTF-8 draft gives. Prints "ok - …" / "not ok - …". Usage: encodings.sh KYODO TMPDIR
set -u
KYODO=$1
tmp=$2/encodings
mkdir -p "$tmp"
src=tests/encodings/statement.xml
"$KYODO" render "$src" -o "$tmp/utf8.pdf" || { echo "not ok - encodings: the UTF-8 draft fails"; exit 0; }
for enc in SHIFT_JIS CP932 EUC-JP ISO-2022-JP UTF-16; do
    sed "s/encoding=\"UTF-8\"/encoding=\"$enc\"/" "$src" | iconv -f UTF-8 -t "$enc" > "$tmp/$enc.xml"
    if "$KYODO" render "$tmp/$enc.xml" -o "$tmp/$enc.pdf" 2> "$tmp/err" && cmp -s "$tmp/utf8.pdf" "$tmp/$enc.pdf"; then
        echo "ok - encodings: $enc (declared) gives the same PDF as UTF-8"
    else
        echo "not ok - encodings: $enc (declared): $(head -2 "$tmp/err")"
    fi
done
for enc in SHIFT_JIS EUC-JP ISO-2022-JP; do
    sed '1d' "$src" | iconv -f UTF-8 -t "$enc" > "$tmp/bare-$enc.xml"
    if "$KYODO" render "$tmp/bare-$enc.xml" --encoding "$enc" -o "$tmp/bare-$enc.pdf" 2> "$tmp/err" &&
        cmp -s "$tmp/utf8.pdf" "$tmp/bare-$enc.pdf"; then
        echo "ok - encodings: $enc (undeclared, --encoding) gives the same PDF as UTF-8"
    else
        echo "not ok - encodings: $enc with --encoding: $(head -2 "$tmp/err")"
    fi
done
# Undeclared and not UTF-8: an error that says so, and no PDF.
"$KYODO" render "$tmp/bare-SHIFT_JIS.xml" -o "$tmp/none.pdf" 2> "$tmp/err"
status=$?
if [ $status -eq 1 ] && [ ! -e "$tmp/none.pdf" ] && grep -q "bare-SHIFT_JIS.xml:7: error: not UTF-8 (byte 0x.. at offset [0-9]*) and no encoding declared" "$tmp/err"; then
    echo "ok - encodings: an undeclared Shift_JIS draft is refused with its line and offset"
else
    echo "not ok - encodings: undeclared Shift_JIS: status $status: $(cat "$tmp/err")"
fi
# Bytes that are not valid in the named encoding: line and offset, no mojibake.
printf '<statement>\n<title>\377\377</title>\n</statement>\n' > "$tmp/broken-euc.xml"
"$KYODO" render "$tmp/broken-euc.xml" --encoding EUC-JP -o "$tmp/broken.pdf" 2> "$tmp/err"
if grep -q "broken-euc.xml:2: error: byte 0xFF at offset 19 is not valid EUC-JP" "$tmp/err" && [ ! -e "$tmp/broken.pdf" ]; then
    echo "ok - encodings: invalid EUC-JP bytes are an error with line and offset"
else
    echo "not ok - encodings: invalid EUC-JP: $(cat "$tmp/err")"
fi
