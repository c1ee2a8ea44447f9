#!/bin/sh
# Reading inputs and writing the PDF (src/file.c): kyodo never replaces one
# of its inputs, never renames over a device, a pipe or a symbolic link,
# creates the PDF as the umask says, never hangs on a FIFO given as an input,
# and says once, in words, what went wrong.
# Prints "ok - …" / "not ok - …". Usage: io.sh KYODO TMPDIR
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(cd "$2" && pwd)/io
rm -rf "$tmp"
mkdir -p "$tmp"
M=$(pwd)/tests/minimal.xml

result() { # CONDITION-STATUS NAME WHY
    if [ "$1" -eq 0 ]; then echo "ok - io: $2"; else echo "not ok - io: $2: $3"; fi
}

is_pdf() { [ "$(head -c 5 "$1" 2>/dev/null)" = "%PDF-" ] && qpdf --check "$1" > /dev/null 2>&1; }

# ---- 1. the output is one of the inputs ------------------------------------
refuses() { # NAME PATTERN FILE-THAT-MUST-NOT-CHANGE COMMAND…: exit 1, the message, file unchanged
    name=$1 pattern=$2 keep=$3
    shift 3
    # Each case starts from a sound draft (cp keeps the inode: the links stay).
    cp "$M" "$d/x.xml"
    cp "$keep" "$tmp/before"
    timeout 20 "$@" > "$tmp/out" 2> "$tmp/err"
    status=$?
    if [ $status -eq 1 ] && grep -q -- "$pattern" "$tmp/err" && cmp -s "$tmp/before" "$keep"; then
        echo "ok - io: $name: $(head -n 1 "$tmp/err" | sed "s|$tmp/||g" | cut -c1-100)"
    else
        echo "not ok - io: $name: status $status, $(head -c 8 "$keep" | tr -d '\0'): $(head -n 2 "$tmp/err")"
    fi
}
d=$tmp/self
mkdir -p "$d"
cp "$M" "$d/x.xml"
refuses "-o ./x.xml is the draft" "the output is the draft itself" "$d/x.xml" \
    sh -c "cd '$d' && '$KYODO' render x.xml -o ./x.xml"
ln "$d/x.xml" "$d/hard.pdf"
refuses "-o a hard link to the draft" "the output is the draft itself" "$d/x.xml" \
    "$KYODO" render "$d/x.xml" -o "$d/hard.pdf"
ln -s x.xml "$d/link.pdf"
refuses "-o a symbolic link to the draft" "the output is the draft itself" "$d/x.xml" \
    "$KYODO" render "$d/x.xml" -o "$d/link.pdf"
[ -L "$d/link.pdf" ] && result 0 "the symbolic link to the draft stays a link" \
    || result 1 "the symbolic link to the draft stays a link" "replaced"
refuses "-o - appending to the draft" "the output is the draft itself" "$d/x.xml" \
    sh -c "'$KYODO' render '$d/x.xml' -o - >> '$d/x.xml'"
cp fonts/fontset.xml "$d/fontset.xml"
refuses "-o the font set" "the output is the font set itself" "$d/fontset.xml" \
    "$KYODO" render "$M" --fontset "$d/fontset.xml" -o "$d/fontset.xml"
mkdir -p "$d/templates"
cp templates/joint-statement.xml "$d/templates/"
refuses "-o the template" "the output is the template itself" "$d/templates/joint-statement.xml" \
    "$KYODO" render "$M" --template-dir "$d/templates" -o "$d/templates/joint-statement.xml"
cp "$M" "$d/old.xml"
refuses "-o the earlier revision" "the output is the earlier revision itself" "$d/old.xml" \
    "$KYODO" render "$M" --changes-since "$d/old.xml" -o "$d/old.xml"

# ---- 2. what the output is: file, symbolic link, FIFO, device, stdout ------
d=$tmp/kinds
mkdir -p "$d/elsewhere"
echo "old" > "$d/elsewhere/target.pdf"
ln -s elsewhere/target.pdf "$d/link.pdf"
"$KYODO" render "$M" -o "$d/link.pdf" 2> "$tmp/err"
status=$?
[ $status -eq 0 ] && [ -L "$d/link.pdf" ] && is_pdf "$d/elsewhere/target.pdf" &&
    [ "$(ls "$d/elsewhere" "$d" | grep -c '\.tmp-')" -eq 0 ]
result $? "-o a symbolic link: its target gets the PDF, the link stays a link" \
    "status $status, link $(ls -l "$d/link.pdf"): $(cat "$tmp/err")"

ln -s nowhere/missing.pdf "$d/dangling.pdf"
"$KYODO" render "$M" -o "$d/dangling.pdf" 2> "$tmp/err"
status=$?
[ $status -eq 1 ] && [ -L "$d/dangling.pdf" ] && grep -q "symbolic link to a missing file" "$tmp/err"
result $? "-o a dangling symbolic link is refused" "status $status: $(cat "$tmp/err")"

mkdir -p "$d/dir.pdf"
"$KYODO" render "$M" -o "$d/dir.pdf" 2> "$tmp/err"
status=$?
[ $status -eq 1 ] && [ -d "$d/dir.pdf" ] && grep -q "is a directory" "$tmp/err"
result $? "-o a directory is refused" "status $status: $(cat "$tmp/err")"

# A FIFO: the PDF is streamed to its reader; the FIFO stays a FIFO.
fifo_output() { # NAME OUTPUT FIFO
    name=$1 output=$2 fifo=$3
    rm -f "$d/got.pdf"
    timeout 10 cat "$fifo" > "$d/got.pdf" &
    reader=$!
    timeout 10 "$KYODO" render "$M" -o "$output" 2> "$tmp/err"
    status=$?
    # The reader ends when kyodo closes the FIFO; if kyodo never opened it,
    # open it once for writing so that cat stops.
    [ $status -eq 0 ] || : > "$fifo" &
    wait $reader
    [ $status -eq 0 ] && [ -p "$fifo" ] && is_pdf "$d/got.pdf" &&
        [ "$(ls "$d" | grep -c '\.tmp-')" -eq 0 ]
    result $? "$name" "status $status, $(ls -l "$fifo"): $(cat "$tmp/err")"
}
mkfifo "$d/fifo"
fifo_output "-o a FIFO: the PDF is streamed to its reader, the FIFO stays" "$d/fifo" "$d/fifo"
ln -s fifo "$d/fifo-link.pdf"
fifo_output "-o a symbolic link to a FIFO: streamed, the link and the FIFO stay" "$d/fifo-link.pdf" "$d/fifo"
[ -L "$d/fifo-link.pdf" ] || echo "not ok - io: the symbolic link to the FIFO was replaced"

# A character device of our own (root only): written to, never replaced.
if mknod "$d/null" c 1 3 2> /dev/null; then
    "$KYODO" render "$M" -o "$d/null" 2> "$tmp/err"
    status=$?
    [ $status -eq 0 ] && [ -c "$d/null" ] && [ "$(ls "$d" | grep -c '\.tmp-')" -eq 0 ]
    result $? "-o a character device: written to, still a character device" \
        "status $status, $(ls -l "$d/null"): $(cat "$tmp/err")"
else
    echo "# io: cannot mknod here (not root?); the character device test did not run" >&2
fi

(cd "$d" && "$KYODO" render "$M" -o - > stdout.pdf) 2> "$tmp/err"
status=$?
[ $status -eq 0 ] && is_pdf "$d/stdout.pdf" && [ ! -e "$d/-" ]
result $? "-o - writes the PDF to standard output" "status $status: $(cat "$tmp/err")"
(cd "$d" && "$KYODO" render "$M" -o - 2> "$tmp/err" | cat > piped.pdf)
is_pdf "$d/piped.pdf"
result $? "-o - into a pipe" "$(cat "$tmp/err")"
is_pdf "$d/stdout.pdf" && cmp -s "$d/stdout.pdf" "$d/piped.pdf"
result $? "-o - gives the same bytes into a file and a pipe" "they differ"

# A link to the process's own standard output (what /dev/stdout is, made
# here in the temporary directory): written through the descriptor, so
# that `>>` appends and a pipe gets the bytes; the link stays.
ln -s /proc/self/fd/1 "$d/stdout-link"
echo "first line" > "$d/log"
"$KYODO" render "$M" -o "$d/stdout-link" >> "$d/log" 2> "$tmp/err"
status=$?
[ $status -eq 0 ] && [ -L "$d/stdout-link" ] && [ "$(head -n 1 "$d/log")" = "first line" ] &&
    tail -n +2 "$d/log" > "$d/log.pdf" && is_pdf "$d/log.pdf"
result $? "-o a link to stdout, appended to a file: appended, not replaced" \
    "status $status, $(head -c 20 "$d/log" | tr -d '\0'): $(cat "$tmp/err")"
"$KYODO" render "$M" -o "$d/stdout-link" 2> "$tmp/err" | cat > "$d/link-piped.pdf"
[ -L "$d/stdout-link" ] && is_pdf "$d/link-piped.pdf"
result $? "-o a link to stdout, a pipe: the pipe gets the PDF" "$(cat "$tmp/err")"

# A read-only file system (a tmpfs of our own, where we may mount one): the
# OS's reason, in words, and the PDF there before stays.
mkdir -p "$d/ro"
if mount -t tmpfs -o size=1m tmpfs "$d/ro" 2> /dev/null; then
    echo "previous" > "$d/ro/statement.pdf"
    mount -o remount,ro "$d/ro"
    "$KYODO" render "$M" -o "$d/ro/statement.pdf" 2> "$tmp/err"
    status=$?
    [ $status -eq 1 ] && grep -q "Read-only file system" "$tmp/err" && [ "$(cat "$d/ro/statement.pdf")" = previous ]
    result $? "a read-only file system: $(sed "s|$tmp/||g" "$tmp/err" | head -n 1)" "status $status: $(cat "$tmp/err")"
    umount "$d/ro"
else
    echo "# io: cannot mount a tmpfs here; the read-only test did not run" >&2
fi

# ---- 3. the PDF's mode: the umask for a new file, the old mode kept ---------
for mask in 022 027 077 002; do
    rm -f "$d/mode.pdf"
    (umask $mask && "$KYODO" render "$M" -o "$d/mode.pdf") 2> "$tmp/err"
    expected=$(printf '%o' $((0666 & ~0$mask)))
    got=$(stat -c %a "$d/mode.pdf" 2> /dev/null)
    [ "$got" = "$expected" ]
    result $? "umask $mask: a new PDF has mode $expected" "mode $got: $(cat "$tmp/err")"
done
for mode in 600 640 444; do
    echo old > "$d/kept.pdf"
    chmod $mode "$d/kept.pdf"
    (umask 022 && "$KYODO" render "$M" -o "$d/kept.pdf") 2> "$tmp/err"
    got=$(stat -c %a "$d/kept.pdf")
    [ "$got" = $mode ] && is_pdf "$d/kept.pdf"
    result $? "replacing a PDF of mode $mode keeps mode $mode" "mode $got: $(cat "$tmp/err")"
done

# ---- names: the temporary file beside the PDF fits NAME_MAX -----------------
for len in 200 244 245 250 255 256; do
    name=$(printf "%0$((len - 4))d.pdf" 0)
    rm -f "$d"/0*
    "$KYODO" render "$M" -o "$d/$name" 2> "$tmp/err"
    status=$?
    if [ "$len" -le 255 ]; then
        [ $status -eq 0 ] && is_pdf "$d/$name"
        result $? "a $len-character output name" "status $status: $(cut -c1-60,280- "$tmp/err")"
    else
        [ $status -eq 1 ] && grep -q "File name too long" "$tmp/err" && [ -z "$(ls "$d" | grep '^0')" ]
        result $? "a $len-character output name: File name too long" "status $status: $(cut -c280- "$tmp/err")"
    fi
done

# ---- 4. inputs that are not regular files fail at once ----------------------
d=$tmp/fifos
mkdir -p "$d/templates" "$d/fonts/bad"
fails_fast() { # NAME PATTERN COMMAND…
    name=$1 pattern=$2
    shift 2
    start=$(date +%s)
    timeout 10 "$@" > "$tmp/out" 2> "$tmp/err"
    status=$?
    [ $status -eq 1 ] && grep -q -- "$pattern" "$tmp/err" && [ ! -e "$d/out.pdf" ]
    result $? "$name: fails at once ($(($(date +%s) - start)) s): $(head -n 1 "$tmp/err" | sed "s|$tmp/||g")" \
        "status $status$([ $status -eq 124 ] && echo ' (hung)'): $(head -n 2 "$tmp/err")"
}
mkfifo "$d/draft.xml" "$d/templates/fifo.xml" "$d/fontset.xml" "$d/fonts/bad/serif.ttf"
fails_fast "a FIFO as draft" "not a regular file" "$KYODO" render "$d/draft.xml" -o "$d/out.pdf"
fails_fast "a FIFO as template" "not a regular file" \
    "$KYODO" render "$M" --template-dir "$d/templates" --template fifo -o "$d/out.pdf"
fails_fast "a FIFO as font set" "not a regular file" "$KYODO" render "$M" --fontset "$d/fontset.xml" -o "$d/out.pdf"
fails_fast "a FIFO as earlier revision" "not a regular file" \
    "$KYODO" render "$M" --changes-since "$d/draft.xml" -o "$d/out.pdf"
# A font set whose serif face is a FIFO (the other faces are the system's).
ln -s /usr/share/fonts/truetype "$d/fonts/truetype"
ln -s /usr/share/fonts/opentype "$d/fonts/opentype"
fontset_with_serif() { # FILE-INSIDE-fonts OUTPUT
    sed -e "s|<fontset dir=\"/usr/share/fonts\">|<fontset dir=\"$d/fonts\">|" \
        -e "s|file=\"truetype/liberation2/LiberationSerif-Regular.ttf\"|file=\"$1\"|" fonts/fontset.xml > "$2"
}
fontset_with_serif bad/serif.ttf "$d/fifo-font.xml"
fails_fast "a FIFO as a font" "not a regular file" "$KYODO" render "$M" --fontset "$d/fifo-font.xml" -o "$d/out.pdf"
fails_fast "a FIFO as a font (kyodo fonts)" "not a regular file" "$KYODO" fonts --fontset "$d/fifo-font.xml"
# The 16 MB cap, either side of it (checked with fstat before reading).
head -c 16777216 /dev/zero | tr '\0' ' ' > "$d/cap.xml"
timeout 20 "$KYODO" render "$d/cap.xml" -o "$d/out.pdf" 2> "$tmp/err"
status=$?
[ $status -eq 1 ] && ! grep -q "larger than" "$tmp/err"
result $? "a draft of exactly 16 MB is read (and found not to be XML)" "status $status: $(head -n 1 "$tmp/err")"
printf ' ' >> "$d/cap.xml"
fails_fast "a draft of 16 MB and one byte" "larger than 16 MB" "$KYODO" render "$d/cap.xml" -o "$d/out.pdf"
rm -f "$d/cap.xml"

# ---- 5. a font that cannot be used: one message, no leak -------------------
fontset_with_serif bad/missing.ttf "$d/missing-font.xml"
printf 'not a font\n' > "$d/fonts/bad/text.ttf"
fontset_with_serif bad/text.ttf "$d/text-font.xml"
one_message() { # NAME FONTSET PATTERN
    timeout 60 "$KYODO" render input/japan-india-cyber-dialogue.xml --fontset "$2" -o "$d/out.pdf" 2> "$tmp/err"
    status=$?
    lines=$(wc -l < "$tmp/err")
    [ $status -eq 1 ] && [ "$lines" -eq 1 ] && grep -q -- "$3" "$tmp/err" && [ ! -e "$d/out.pdf" ]
    result $? "$1: exactly one message: $(sed "s|$tmp/||g" "$tmp/err" | head -n 1 | cut -c1-90)" \
        "status $status, $lines lines: $(sort "$tmp/err" | uniq -c | sort -rn | head -n 2)"
}
one_message "a missing font" "$d/missing-font.xml" "cannot open font 'serif' from Debian package fonts-liberation2: No such file"
one_message "a file that is not a font" "$d/text-font.xml" "font 'serif' is not a font HarfBuzz can read"
# The font cap (64 MB), either side, with sparse files; and an empty font.
: > "$d/fonts/bad/empty.ttf"
fontset_with_serif bad/empty.ttf "$d/empty-font.xml"
one_message "an empty font file" "$d/empty-font.xml" "font 'serif' is not a font HarfBuzz can read"
truncate -s 67108864 "$d/fonts/bad/cap.ttf"
fontset_with_serif bad/cap.ttf "$d/cap-font.xml"
one_message "a 64 MB font is read (and is no font)" "$d/cap-font.xml" "font 'serif' is not a font HarfBuzz can read"
truncate -s 67108865 "$d/fonts/bad/cap.ttf"
one_message "a font of 64 MB and one byte" "$d/cap-font.xml" \
    "font 'serif' from Debian package fonts-liberation2 is larger than 64 MB"
rm -f "$d/fonts/bad/cap.ttf"
if command -v valgrind > /dev/null && [ -z "${KY_SANITIZED:-}" ]; then
    for fs in missing-font text-font; do
        valgrind --leak-check=full --errors-for-leak-kinds=definite \
            "$KYODO" render "$M" --fontset "$d/$fs.xml" -o "$d/out.pdf" > "$tmp/vg" 2>&1
        grep -q "definitely lost: 0 bytes" "$tmp/vg" || grep -q "All heap blocks were freed" "$tmp/vg"
        result $? "valgrind: $fs: nothing definitely lost" "$(grep -E "definitely" "$tmp/vg")"
    done
fi

# ---- 6. libharu's errors in words ------------------------------------------
python3 -c "
import sys
src = open(sys.argv[1], encoding='utf-8').read()
sys.stdout.write(src.replace('Minimal Statement', 'Title ' * 12000))" "$M" > "$d/long-title.xml"
"$KYODO" render "$d/long-title.xml" -o "$d/out.pdf" 2> "$tmp/err"
status=$?
[ $status -eq 1 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "65,535 bytes" "$tmp/err" &&
    ! grep -q "0x" "$tmp/err" && [ ! -e "$d/out.pdf" ]
result $? "a 72 KB title: one message in words: $(cut -d: -f3- "$tmp/err" | cut -c1-80)" \
    "status $status, $(wc -l < "$tmp/err") lines: $(head -n 2 "$tmp/err")"
