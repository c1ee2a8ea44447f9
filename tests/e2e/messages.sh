#!/bin/sh
# Messages as GCC shows them: colour (--color, NO_COLOR, TERM, a terminal or
# not), the source line with a caret under the column (tabs, Japanese, long
# lines), and none of that in JSON. The wording of each message is asserted
# by tests/bad. Usage: messages.sh KYODO TMPDIR; prints "ok - …" lines.
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/messages
rm -rf "$tmp" && mkdir -p "$tmp"
M=tests/minimal.xml
bad=tests/bad/misspelt-element.xml
esc=$(printf '\033')

result() { # STATUS NAME [WHY]
    if [ "$1" -eq 0 ]; then echo "ok - messages: $2"; else echo "not ok - messages: $2: ${3:-}"; fi
}
coloured() { grep -q "$esc\[01;31m$esc\[Kerror:$esc\[m$esc\[K" "$1"; }
plain() { ! grep -q "$esc" "$1"; }

# ---- colour ----------------------------------------------------------------
"$KYODO" render "$bad" -o "$tmp/x.pdf" --color=always 2> "$tmp/err"
coloured "$tmp/err" && grep -q "^$esc\[01m$esc\[K$bad:11:5:$esc\[m$esc\[K $esc\[01;31m" "$tmp/err" &&
    grep -q "^      | *$esc\[01;32m$esc\[K\^$esc\[m$esc\[K$" "$tmp/err"
result $? "--color=always: location bold, error: red, caret green (GCC's colours)" "$(head -1 "$tmp/err" | cat -v)"
NO_COLOR=1 "$KYODO" render "$bad" -o "$tmp/x.pdf" --color=always 2> "$tmp/err"
coloured "$tmp/err"
result $? "--color=always wins over NO_COLOR (an option is the user's own choice)"
"$KYODO" render "$bad" -o "$tmp/x.pdf" --color=never 2> "$tmp/err"
plain "$tmp/err" && [ "$(cat "$tmp/err")" = "$(cat tests/bad/misspelt-element.err)" ]
result $? "--color=never: no escape sequence, the message as tests/bad has it"
"$KYODO" render "$bad" -o "$tmp/x.pdf" --color 2> "$tmp/err"
coloured "$tmp/err"
result $? "bare --color is --color=always" "$(head -1 "$tmp/err" | cat -v)"
TERM=xterm "$KYODO" render "$bad" -o "$tmp/x.pdf" 2> "$tmp/err"
plain "$tmp/err"
result $? "auto, standard error a file: no colour"
"$KYODO" render "$bad" -o "$tmp/x.pdf" --color=rainbow 2> "$tmp/err"
[ $? -eq 2 ] && grep -q "color takes auto, never or always" "$tmp/err"
result $? "--color=rainbow is a usage error" "$(cat "$tmp/err")"
"$KYODO" check "$bad" --color=always > "$tmp/out"
coloured "$tmp/out" && grep -q "\[$esc\[01;31m$esc\[Kschema$esc\[m$esc\[K\]" "$tmp/out"
result $? "check --color=always colours the finding and its rule" "$(head -1 "$tmp/out" | cat -v)"
# On a terminal (a pseudo-terminal from script(1)): colour unless NO_COLOR
# is set, TERM is dumb or --color=never.
pty() { # OUTFILE ENV... : runs render under a pty, its output in OUTFILE
    out=$1
    shift
    env "$@" script -qec "'$KYODO' render '$(pwd)/$bad' -o '$tmp/x.pdf' $PTY_ARGS" "$tmp/typescript" \
        > "$out" 2>&1
}
if command -v script > /dev/null; then
    PTY_ARGS="" pty "$tmp/tty" TERM=xterm
    coloured "$tmp/tty"
    result $? "auto on a terminal: colour" "$(head -1 "$tmp/tty" | cat -v)"
    PTY_ARGS="" pty "$tmp/tty" TERM=xterm NO_COLOR=1
    plain "$tmp/tty" && grep -q "error: unknown element <heding>" "$tmp/tty"
    result $? "auto on a terminal with NO_COLOR=1: no colour" "$(head -1 "$tmp/tty" | cat -v)"
    PTY_ARGS="" pty "$tmp/tty" TERM=xterm NO_COLOR=
    coloured "$tmp/tty"
    result $? "an empty NO_COLOR does not count (no-color.org)" "$(head -1 "$tmp/tty" | cat -v)"
    PTY_ARGS="" pty "$tmp/tty" TERM=dumb
    plain "$tmp/tty" && grep -q "error: unknown element <heding>" "$tmp/tty"
    result $? "auto on a terminal with TERM=dumb: no colour" "$(head -1 "$tmp/tty" | cat -v)"
    PTY_ARGS="--color=never" pty "$tmp/tty" TERM=xterm
    plain "$tmp/tty" && grep -q "error: unknown element <heding>" "$tmp/tty"
    result $? "--color=never on a terminal: no colour" "$(head -1 "$tmp/tty" | cat -v)"
fi

# ---- JSON: the message, never a quote or caret ------------------------------
"$KYODO" check --format json --color=always "$bad" tests/bad/unescaped-ampersand.xml > "$tmp/json"
python3 -c "
import json, sys
text = open(sys.argv[1], encoding='utf-8').read()
try:
    found = json.loads(text)
    ok = [(f['line'], f['column']) for f in found] == [(11, 5), (10, 16)] and '^' not in text \
        and ' | ' not in text and '\033' not in text \
        and found[1]['message'] == '\"&\" must be written \"&amp;\"'
except (ValueError, KeyError, IndexError):
    ok = False
print(('ok' if ok else 'not ok') + ' - messages: check --format json: line, column and message, no source line, caret or colour')
" "$tmp/json"

# ---- the caret, swept: after k Japanese characters, t tabs, n words --------
for k in 0 1 2 5; do
    for t in 0 1 2 3; do
        tabs=$(printf '%*s' "$t" '' | tr ' ' '\t')
        japanese=$(python3 -c "print('日本語の文'[:$k] if $k <= 5 else '')")
        sed "s|<ja>一つの段落。</ja>|<ja>$japanese$tabs\&$japanese</ja>|" "$M" > "$tmp/caret.xml"
        "$KYODO" render "$tmp/caret.xml" -o "$tmp/x.pdf" 2> "$tmp/err"
        python3 tests/e2e/check_caret.py "$tmp/err" '&' "messages: caret after $k Japanese characters and $t tabs"
    done
done
for words in 1 10 30 100 1000 10000; do
    python3 -c "
import sys
words = int(sys.argv[2])
src = open(sys.argv[1], encoding='utf-8').read()
sys.stdout.write(src.replace('一つの段落。', '段落 ' * words + '& ' + 'word ' * words))" "$M" "$words" \
        > "$tmp/long.xml"
    "$KYODO" render "$tmp/long.xml" -o "$tmp/x.pdf" 2> "$tmp/err"
    python3 tests/e2e/check_caret.py "$tmp/err" '&' "messages: caret in a line of $((words * 8)) characters, the quote cut to fit"
done
# Past line 65535 (where libxml2 numbers every element 65535): the line
# numbers of messages, the model's among them, and the gutter widening.
for filler in 9 65530 65540 99990; do
    python3 -c "
import sys
filler = int(sys.argv[2])
src = open(sys.argv[1], encoding='utf-8').read()
sys.stdout.write(src.replace('<p>', '<!--\n' + '-\n' * filler + '-->\n  <p>', 1)
                 .replace('</statement>', '  <p><en>No Japanese</en></p>\n  <heding/>\n</statement>'))" \
        "$M" "$filler" > "$tmp/lines.xml"
    "$KYODO" render "$tmp/lines.xml" -o "$tmp/x.pdf" 2> "$tmp/err"
    python3 tests/e2e/check_caret.py "$tmp/err" '<heding' "messages: an unknown element at line $((filler + 14)): its line, column and caret"
    sed 's|<heding/>||' "$tmp/lines.xml" > "$tmp/lines2.xml"
    "$KYODO" render "$tmp/lines2.xml" -o "$tmp/x.pdf" 2> "$tmp/err"
    grep -q "^$tmp/lines2.xml:$((filler + 13)): error: paragraph 2 has no Japanese text" "$tmp/err"
    result $? "a paragraph without Japanese at line $((filler + 13)) is said to be there" "$(head -1 "$tmp/err")"
done
# A line that is not UTF-8 is quoted with U+FFFD, never raw bytes.
printf '<?xml version="1.0" encoding="UTF-8"?>\n<statement>\033[31m\377</statement>\n' > "$tmp/raw.xml"
"$KYODO" render "$tmp/raw.xml" -o "$tmp/x.pdf" 2> "$tmp/err"
plain "$tmp/err" && grep -q "^    2 | <statement>?\[31m" "$tmp/err"
result $? "control characters of the draft never reach the terminal" "$(cat -v "$tmp/err")"
