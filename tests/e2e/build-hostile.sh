#!/bin/sh
# kyodo build against hostile refs, planted symlinks, FIFOs, concurrent runs
# and stale state. Prints "ok - …" / "not ok - …".
# Usage: build-hostile.sh KYODO TMPDIR
set -u
case $1 in
    /*) KYODO=$1 ;;
    *) KYODO=$(pwd)/$1 ;;
esac
src=$(pwd)
tmp=$2/build-hostile
rm -rf "$tmp"
mkdir -p "$tmp"
minimal=$src/tests/minimal.xml
: > "$tmp/gitconfig"
# Git must not read the user's or the system's configuration.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$tmp/gitconfig GIT_CEILING_DIRECTORIES=$tmp
export GIT_AUTHOR_NAME=kyodo GIT_AUTHOR_EMAIL=kyodo@example.org
export GIT_COMMITTER_NAME=kyodo GIT_COMMITTER_EMAIL=kyodo@example.org
unset SOURCE_DATE_EPOCH KYODO_HYPHEN_DICT

ok() { echo "ok - build-hostile: $1"; }
not_ok() { echo "not ok - build-hostile: $1"; }
# The number of PDFs a build log says were rendered.
rendered() { sed -n 's/.*kyodo build: \([0-9]*\) rendered.*/\1/p' "$1"; }
# A draft from the minimal one with its own paragraph.
draft() { # FILE TEXT [TEMPLATE]
    template=""
    [ -n "${3:-}" ] && template=" template=\"$3\""
    sed -e "s/<statement>/<statement$template>/" -e "s/One paragraph\\./$2/" "$minimal" > "$1"
}
crashed() { grep -q -E "AddressSanitizer|runtime error|Segmentation|Aborted" "$1"; }

# ---- 1. --changes-since REF: no shell, no overflow ---------------------------
repo=$tmp/repo
mkdir -p "$repo"
(
    cd "$repo" || exit 1
    git init -q .
    draft d.xml "The old paragraph."
    git add d.xml
    git commit -qm one
    for ref in "a'b" '$(touch${IFS}pwned-dollar)' "';touch\${IFS}pwned-semicolon;'" \
        "$(printf '%0200d' 0 | tr 0 "'")"; do
        git tag "$ref"
    done
    draft d.xml "The new paragraph."
    draft new.xml "A new draft."
)
n=0
for ref in "a'b" '$(touch${IFS}pwned-dollar)' "';touch\${IFS}pwned-semicolon;'" \
    "$(printf '%0200d' 0 | tr 0 "'")"; do
    n=$((n + 1))
    (cd "$repo" && timeout 20 "$KYODO" build d.xml -o "out$n" --changes-since "$ref") \
        > "$tmp/git$n.log" 2>&1
    status=$?
    label=$(printf '%s' "$ref" | cut -c1-24)
    if crashed "$tmp/git$n.log"; then
        not_ok "--changes-since $label: crashed: $(grep -m1 -E "AddressSanitizer|runtime error" "$tmp/git$n.log")"
    elif [ $status -ne 0 ] || grep -q "warning\|error" "$tmp/git$n.log"; then
        not_ok "--changes-since $label: exit $status: $(head -n 2 "$tmp/git$n.log")"
    elif ls "$repo" "$repo/out$n" | grep -q pwned; then
        not_ok "--changes-since $label: a shell ran the ref name"
    else
        ok "--changes-since with a ref named $label: compared, no shell, no crash"
    fi
done
# Change bars come from the tag's blob: the PDF differs from one without.
(cd "$repo" && "$KYODO" build d.xml -o plain -q)
cmp -s "$repo/plain/d-sequential.pdf" "$repo/out1/d-sequential.pdf" \
    && not_ok "--changes-since: the PDF has no change bars" \
    || ok "--changes-since: the PDF differs from one without change bars"

# Every failure says why.
(cd "$repo" && "$KYODO" build d.xml -o bad --changes-since no-such-ref) > "$tmp/git-bad.log" 2>&1
status=$?
[ $status -eq 1 ] && grep -q "error: .*no-such-ref" "$tmp/git-bad.log" \
    && [ ! -e "$repo/bad/d-sequential.pdf" ] \
    && ok "--changes-since an unknown ref: exit 1 with git's reason, nothing rendered" \
    || not_ok "--changes-since an unknown ref: exit $status: $(head -n 2 "$tmp/git-bad.log")"
mkdir -p "$tmp/norepo"
draft "$tmp/norepo/d.xml" "Not in a repository."
(cd "$tmp/norepo" && "$KYODO" build d.xml -o out --changes-since HEAD) > "$tmp/git-norepo.log" 2>&1
status=$?
[ $status -eq 1 ] && grep -q "error: .*HEAD.*git" "$tmp/git-norepo.log" \
    && ok "--changes-since outside a git repository: exit 1 with a message" \
    || not_ok "--changes-since outside a repository: exit $status: $(head -n 2 "$tmp/git-norepo.log")"
(cd "$repo" && "$KYODO" build new.xml -o out-new --changes-since "a'b") > "$tmp/git-new.log" 2>&1
status=$?
[ $status -eq 0 ] && grep -q "new.xml: warning: not in a'b" "$tmp/git-new.log" \
    && [ -s "$repo/out-new/new-sequential.pdf" ] \
    && ok "--changes-since: a draft the revision lacks is rendered with a warning saying so" \
    || not_ok "--changes-since, draft not in the revision: exit $status: $(head -n 2 "$tmp/git-new.log")"

# ---- 2. planted symlinks in the state directory ----------------------------
s=$tmp/state
mkdir -p "$s/out/.kyodo"
draft "$s/m.xml" "State files."
echo precious > "$s/victim"
ln -s ../../victim "$s/out/.kyodo/m-sequential.pdf.sha256.tmp"
ln -s ../../victim "$s/out/.kyodo/m-sequential.pdf.sha256"
"$KYODO" build "$s/m.xml" -o "$s/out" > "$tmp/state.log" 2>&1
status=$?
[ "$(cat "$s/victim")" = precious ] && [ $status -eq 0 ] && [ ! -L "$s/out/.kyodo/m-sequential.pdf.sha256" ] \
    && ok "state: symlinks planted at the state and temporary paths are not followed" \
    || not_ok "state: victim now '$(head -c 40 "$s/victim")', exit $status: $(head -n 2 "$tmp/state.log")"
"$KYODO" build "$s/m.xml" -o "$s/out" > "$tmp/state2.log" 2>&1
[ "$(rendered "$tmp/state2.log")" = 0 ] \
    && ok "state: the replaced state file works (second run renders nothing)" \
    || not_ok "state: second run: $(tail -n 1 "$tmp/state2.log")"
rm -f "$s/out/.kyodo/lock"
ln -s ../../victim "$s/out/.kyodo/lock"
"$KYODO" build "$s/m.xml" -o "$s/out" --force > "$tmp/state3.log" 2>&1
status=$?
[ "$(cat "$s/victim")" = precious ] && [ $status -ne 0 ] && grep -q "lock" "$tmp/state3.log" \
    && ok "state: a symlink planted at the lock file is refused with a message" \
    || not_ok "state: planted lock: exit $status, victim '$(head -c 40 "$s/victim")': $(head -n 2 "$tmp/state3.log")"
mkdir -p "$s/elsewhere" "$s/out2"
ln -s ../elsewhere "$s/out2/.kyodo"
"$KYODO" build "$s/m.xml" -o "$s/out2" > "$tmp/state4.log" 2>&1
status=$?
[ -z "$(ls "$s/elsewhere")" ] && [ $status -ne 0 ] && grep -q "\.kyodo" "$tmp/state4.log" \
    && ok "state: a state directory that is a symlink is refused with a message" \
    || not_ok "state: symlinked .kyodo: exit $status, elsewhere has '$(ls "$s/elsewhere")'"

# ---- 3. incremental builds that are never wrong -------------------------------
# A damaged PDF is rendered again: truncated to each of these sizes, or one
# byte changed in place.
t=$tmp/truncate
mkdir -p "$t"
draft "$t/m.xml" "Truncated output."
"$KYODO" build "$t/m.xml" -o "$t/out" -q
pdf=$t/out/m-sequential.pdf
cp "$pdf" "$t/good.pdf"
size=$(stat -c %s "$pdf")
for length in 0 1 $((size / 2)) $((size - 1)) flip; do
    if [ "$length" = flip ]; then
        printf 'X' | dd of="$pdf" bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
    else
        truncate -s "$length" "$pdf"
    fi
    "$KYODO" build "$t/m.xml" -o "$t/out" > "$tmp/truncate.log" 2>&1
    [ "$(rendered "$tmp/truncate.log")" = 1 ] && cmp -s "$pdf" "$t/good.pdf" \
        && ok "a PDF damaged ($length) is rendered again" \
        || not_ok "a PDF damaged ($length): $(tail -n 1 "$tmp/truncate.log")"
done

# A draft edited during a build and then reverted: the state claims what the
# render read. The last of 21 drafts is changed once the first PDF exists
# (its hash, in a build that hashes up front, is taken by then).
a=$tmp/aba
mkdir -p "$a/drafts"
i=10
while [ $i -lt 30 ]; do
    draft "$a/drafts/a$i.xml" "Filler $i."
    i=$((i + 1))
done
draft "$a/drafts/zz.xml" "Original text."
draft "$a/edited.xml" "Edited text."
cp "$a/drafts/zz.xml" "$a/original.xml"
"$KYODO" build "$a/drafts" -o "$a/out" -j 1 > "$tmp/aba1.log" 2>&1 &
pid=$!
tries=0
while [ ! -e "$a/out/a10-sequential.pdf" ] && [ $tries -lt 1000 ]; do
    sleep 0.01
    tries=$((tries + 1))
done
cp "$a/edited.xml" "$a/drafts/zz.tmp" && mv "$a/drafts/zz.tmp" "$a/drafts/zz.xml"
wait $pid
cp "$a/original.xml" "$a/drafts/zz.tmp" && mv "$a/drafts/zz.tmp" "$a/drafts/zz.xml"
"$KYODO" build "$a/drafts" -o "$a/out" -j 1 > "$tmp/aba2.log" 2>&1
text=$(pdftotext "$a/out/zz-sequential.pdf" - 2> /dev/null | tr -d '\n')
case $text in
    *"Original text."*) ok "a draft edited during a build and reverted is rendered again" ;;
    *) not_ok "edited during a build and reverted: the PDF is stale ($(tail -n 1 "$tmp/aba2.log"))" ;;
esac

# Two builds with different options into one directory at once: afterwards
# each PDF matches its state, so re-running either renders what is stale.
c=$tmp/concurrent
mkdir -p "$c/drafts" "$c/fresh"
i=10
while [ $i -lt 34 ]; do
    draft "$c/drafts/c$i.xml" "Concurrent $i."
    i=$((i + 1))
done
stale=0 waited=0
for round in 1 2; do
    "$KYODO" build "$c/drafts" -o "$c/out" -j 2 --print > "$tmp/conc-a.log" 2>&1 &
    first=$!
    "$KYODO" build "$c/drafts" -o "$c/out" -j 2 > "$tmp/conc-b.log" 2>&1 &
    second=$!
    wait $first $second
    cat "$tmp/conc-a.log" "$tmp/conc-b.log" | grep -q "waiting for another kyodo build in $c/out" \
        && waited=$((waited + 1))
    "$KYODO" build "$c/drafts" -o "$c/out" -j 2 > "$tmp/conc-c.log" 2>&1
    for d in "$c"/drafts/*.xml; do
        name=$(basename "$d" .xml)
        [ $round -eq 1 ] && "$KYODO" render "$d" -o "$c/fresh/$name.pdf"
        cmp -s "$c/fresh/$name.pdf" "$c/out/$name-sequential.pdf" || stale=$((stale + 1))
    done
done
[ $stale -eq 0 ] && ok "two concurrent builds into one directory leave no stale PDF" \
    || not_ok "two concurrent builds: $stale PDFs differ from fresh renders after a rebuild"
[ $waited -eq 2 ] && ok "a second concurrent build says it waits for the first" \
    || not_ok "concurrent builds: 'waiting for another kyodo build' printed in $waited of 2 rounds"

# Every input that can change a byte of the PDF is in the hash; nothing else.
p=$tmp/inputs
mkdir -p "$p/tpl" "$p/tpl2"
cat > "$p/tpl/parent.xml" << 'XML'
<?xml version="1.0" encoding="UTF-8"?>
<template name="parent" extends="joint-statement">
  <page left="30mm"/>
</template>
XML
cat > "$p/tpl/child.xml" << 'XML'
<?xml version="1.0" encoding="UTF-8"?>
<template name="child" extends="parent">
  <page right="30mm"/>
</template>
XML
sed 's/30mm/35mm/' "$p/tpl/child.xml" > "$p/tpl2/child.xml"
draft "$p/m.xml" "Inputs." child
cp "$src/fonts/fontset.xml" "$p/fontset.xml"
cp "$(ls /usr/share/hyphen/hyph_en_US.dic)" "$p/hyph.dic"
step() { # NAME EXPECTED [ENV=VALUE] -- BUILD ARGS...
    name=$1 expected=$2
    shift 2
    env=""
    [ "$1" != -- ] && env=$1 && shift
    shift
    env $env "$KYODO" build "$p/m.xml" -o "$p/out" --name "{draft}" --template-dir "$p/tpl" "$@" \
        > "$tmp/inputs.log" 2>&1
    got=$(rendered "$tmp/inputs.log")
    [ "$got" = "$expected" ] && ok "inputs: $name: $expected rendered" \
        || not_ok "inputs: $name: $got rendered, expected $expected: $(head -n 2 "$tmp/inputs.log")"
}
# Each change alone rebuilds; the same options again rebuild nothing.
once() { # NAME [ENV=VALUE] -- ARGS...
    name=$1
    shift
    step "$name" 1 "$@"
    step "$name, again" 0 "$@"
}
once "first build" --
touch "$p/m.xml" "$p/tpl"/*.xml "$p/fontset.xml"
step "new modification times only" 0 --
sed -i 's/Inputs\./Inputs, edited./' "$p/m.xml"
once "draft edited" --
echo "<!-- edited -->" >> "$p/tpl/child.xml"
once "template edited" --
sed -i 's/left="30mm"/left="31mm"/' "$p/tpl/parent.xml"
once "a template it extends edited" --
once "another font set" -- --fontset "$p/fontset.xml"
echo "<!-- edited -->" >> "$p/fontset.xml"
once "font set edited" -- --fontset "$p/fontset.xml"
once "--encoding" -- --encoding UTF-8
once "SOURCE_DATE_EPOCH" SOURCE_DATE_EPOCH=1000000000 --
once "SOURCE_DATE_EPOCH changed" SOURCE_DATE_EPOCH=1000000001 --
once "SOURCE_DATE_EPOCH unset" --
once "--layout" -- --layout parallel
once "--copy" -- --copy jp
once "--first" -- --first ja
once "--title-page" -- --title-page
once "--print" -- --print
once "--template" -- --template joint-statement
once "a template directory in front" -- --template-dir "$p/tpl2"
once "hyphenation patterns" KYODO_HYPHEN_DICT=$p/hyph.dic --
step "back to the first options" 1 --
(
    cd "$repo" || exit 1
    "$KYODO" build d.xml -o inputs -q
    "$KYODO" build d.xml -o inputs --changes-since "a'b" > "$tmp/cs1.log" 2>&1
    "$KYODO" build d.xml -o inputs --changes-since "a'b" > "$tmp/cs2.log" 2>&1
    git tag same-commit "a'b"
    "$KYODO" build d.xml -o inputs --changes-since same-commit > "$tmp/cs3.log" 2>&1
)
[ "$(rendered "$tmp/cs1.log")" = 1 ] && [ "$(rendered "$tmp/cs2.log")" = 0 ] \
    && [ "$(rendered "$tmp/cs3.log")" = 0 ] \
    && ok "inputs: --changes-since rebuilds; the same revision under another name does not" \
    || not_ok "inputs: --changes-since: $(rendered "$tmp/cs1.log"), $(rendered "$tmp/cs2.log"), $(rendered "$tmp/cs3.log") rendered, expected 1, 0, 0"

# Two jobs that would write one file: an error before anything is rendered.
o=$tmp/collide
mkdir -p "$o/a" "$o/b"
draft "$o/a/x.xml" "From a."
draft "$o/b/x.xml" "From b."
"$KYODO" build "$o/a" "$o/b" -o "$o/out" > "$tmp/collide1.log" 2>&1
status=$?
[ $status -eq 1 ] && [ -z "$(ls "$o/out" 2> /dev/null)" ] \
    && grep -q "error: $o/a/x.xml (sequential) and $o/b/x.xml (sequential) would both write $o/out/x-sequential.pdf" "$tmp/collide1.log" \
    && ok "collision: a/x.xml and b/x.xml: exit 1, both named, nothing rendered" \
    || not_ok "collision of a/x.xml and b/x.xml: exit $status: $(head -n 2 "$tmp/collide1.log")"
"$KYODO" build "$o/a" -o "$o/out" --layout sequential,parallel --name "{draft}" > "$tmp/collide2.log" 2>&1
status=$?
[ $status -eq 1 ] && [ -z "$(ls "$o/out" 2> /dev/null)" ] \
    && grep -q "x.xml (sequential) and .*x.xml (parallel) would both write .*{layout}" "$tmp/collide2.log" \
    && ok "collision: two layouts, one --name: exit 1, both layouts named" \
    || not_ok "collision of two layouts: exit $status: $(head -n 2 "$tmp/collide2.log")"
"$KYODO" build "$o/a" -o "$o/out" --copy jp,in --name "{draft}-{layout}" > "$tmp/collide3.log" 2>&1
status=$?
[ $status -eq 1 ] && grep -q "would both write .*{copy}" "$tmp/collide3.log" \
    && ok "collision: two copies, one --name: exit 1" \
    || not_ok "collision of two copies: exit $status: $(head -n 2 "$tmp/collide3.log")"
"$KYODO" build "$o/a/x.xml" "$o/a" -o "$o/out" > "$tmp/collide4.log" 2>&1
status=$?
[ $status -eq 0 ] && [ "$(rendered "$tmp/collide4.log")" = 1 ] \
    && ok "the same draft named twice is rendered once" \
    || not_ok "the same draft named twice: exit $status: $(tail -n 1 "$tmp/collide4.log")"

# ---- 4. FIFOs, devices and directories among the drafts ------------------------
f=$tmp/fifo
mkdir -p "$f/drafts" "$f/drafts/dir.xml"
draft "$f/drafts/good.xml" "A good draft."
# A directory is searched, whatever its name (build recurses into trees).
draft "$f/drafts/dir.xml/inner.xml" "A draft in a directory named like one."
mkfifo "$f/fifo" "$f/drafts/pipe.xml"
ln -s ../fifo "$f/drafts/link.xml"
ln -s ../missing "$f/drafts/dangling.xml"
timeout 20 "$KYODO" build "$f/drafts" -o "$f/out" > "$tmp/fifo.log" 2>&1
status=$?
if [ $status -eq 124 ]; then
    not_ok "a FIFO among the drafts: the build hangs"
else
    [ $status -eq 1 ] && [ -s "$f/out/good-sequential.pdf" ] \
        && grep -q "$f/drafts/pipe.xml: error: not a regular file" "$tmp/fifo.log" \
        && grep -q "$f/drafts/link.xml: error: not a regular file" "$tmp/fifo.log" \
        && [ -s "$f/out/inner-sequential.pdf" ] \
        && grep -q "$f/drafts/dangling.xml: error: .*No such file" "$tmp/fifo.log" \
        && ok "FIFOs, a symlink to one and a dangling link among the drafts: each named, the rest (and a directory's) rendered" \
        || not_ok "FIFOs among the drafts: exit $status: $(head -n 3 "$tmp/fifo.log")"
fi
timeout 20 "$KYODO" build "$f/fifo" -o "$f/out2" > "$tmp/fifo2.log" 2>&1
status=$?
[ $status -eq 1 ] && grep -q "$f/fifo: error: not a regular file" "$tmp/fifo2.log" \
    && ok "a FIFO named as a draft: exit 1 with a message, no hang" \
    || not_ok "a FIFO named as a draft: exit $status: $(head -n 2 "$tmp/fifo2.log")"

# Draft sizes at the edges: empty, one byte, and one byte over the 16 MB
# every reader refuses beyond.
z=$tmp/sizes
mkdir -p "$z"
: > "$z/empty.xml"
printf '<' > "$z/one.xml"
yes ' ' | tr -d '\n' | head -c $((16 * 1024 * 1024 + 1)) > "$z/huge.xml"
timeout 60 "$KYODO" build "$z" -o "$z/out" > "$tmp/sizes.log" 2>&1
status=$?
[ $status -eq 1 ] && grep -q "empty.xml: error: file is empty" "$tmp/sizes.log" \
    && grep -q "one.xml:1:[0-9]*: error: " "$tmp/sizes.log" \
    && grep -q "huge.xml: error: file is larger than 16 MB" "$tmp/sizes.log" \
    && grep -q "0 rendered, 0 up to date, 3 failed" "$tmp/sizes.log" \
    && ok "drafts of 0 bytes, 1 byte and 16 MB + 1: each refused with its reason" \
    || not_ok "draft sizes: exit $status: $(head -n 4 "$tmp/sizes.log")"

# ---- 5. every failure says why -------------------------------------------------
echo file > "$tmp/plainfile"
"$KYODO" build "$minimal" -o "$tmp/plainfile/out" > "$tmp/why1.log" 2>&1
status=$?
[ $status -ne 0 ] && grep -q "plainfile/out" "$tmp/why1.log" \
    && ok "an output directory that cannot be made: exit $status with a message" \
    || not_ok "output under a file: exit $status: $(head -n 2 "$tmp/why1.log")"
"$KYODO" build "$tmp/no-such-draft.xml" -o "$tmp/why" > "$tmp/why2.log" 2>&1
status=$?
[ $status -ne 0 ] && grep -q "no-such-draft.xml" "$tmp/why2.log" \
    && ok "a missing draft: exit $status with a message" \
    || not_ok "a missing draft: exit $status: $(head -n 2 "$tmp/why2.log")"
