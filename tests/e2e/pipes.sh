#!/bin/sh
# Pipes and trees: drafts from standard input, PDFs to standard output,
# kyodo diff in a pipeline (the README's own CI step, run as written there),
# build and check over directory trees, and errors said once per draft.
# Usage: pipes.sh KYODO TMPDIR; prints "ok - …" / "not ok - …" lines.
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/pipes
rm -rf "$tmp" && mkdir -p "$tmp"
M=$(pwd)/tests/minimal.xml

# render - reads the draft from standard input; without -o the PDF goes to
# standard output (here a file, not a terminal).
if "$KYODO" render - < "$M" > "$tmp/stdin.pdf" 2> "$tmp/err" &&
    pdftotext "$tmp/stdin.pdf" - 2>/dev/null | grep -q "One paragraph"; then
    echo "ok - pipes: render - reads standard input and writes the PDF to standard output"
else
    echo "not ok - pipes: render -: $(head -2 "$tmp/err")"
fi
# Messages name standard input <stdin>.
sed 's|<ja>一つの段落。</ja>||' "$M" | "$KYODO" render - -o "$tmp/x.pdf" 2> "$tmp/err"
grep -q "^<stdin>:10: error: paragraph 1 has no Japanese text" "$tmp/err" &&
    echo "ok - pipes: a draft from standard input is <stdin> in messages" ||
    echo "not ok - pipes: <stdin> in messages: $(head -1 "$tmp/err")"

# The README's diff step, exactly as the README writes it, in a repository
# with a drafts/statement.xml changed in its last commit.
step=$(sed -n 's/^      - run: \(git show HEAD~1:.*kyodo diff - .*\)$/\1/p' README.md)
repo=$tmp/repo
mkdir -p "$repo/drafts" "$tmp/bin"
ln -s "$KYODO" "$tmp/bin/kyodo"
cp "$M" "$repo/drafts/statement.xml"
(cd "$repo" && git init -q && git add . &&
    git -c user.email=ci@kyodo -c user.name=ci commit -qm one) > /dev/null 2>&1
sed 's/One paragraph/One changed paragraph/' "$M" > "$repo/drafts/statement.xml"
(cd "$repo" && git -c user.email=ci@kyodo -c user.name=ci commit -qam two) > /dev/null 2>&1
if [ -n "$step" ] && (cd "$repo" && PATH="$tmp/bin:$PATH" sh -c "$step" > "$tmp/diff" 2>&1) &&
    grep -q "changed paragraph 1" "$tmp/diff"; then
    echo "ok - pipes: the README's CI diff step runs and shows the change"
else
    echo "not ok - pipes: the README's CI diff step (${step:-not found}): $(head -3 "$tmp/diff" 2>/dev/null)"
fi
# ... and fails when a draft cannot be read (it must not hide errors).
if (cd "$repo" && rm drafts/statement.xml && PATH="$tmp/bin:$PATH" sh -c "$step" > /dev/null 2>&1); then
    echo "not ok - pipes: the README's CI diff step hides a missing draft"
else
    echo "ok - pipes: the README's CI diff step fails when a draft cannot be read"
fi

# build and check recurse into subdirectories, leaving out hidden ones and
# the output directory.
tree=$tmp/tree
mkdir -p "$tree/a/b" "$tree/.hidden" "$tree/out"
cp "$M" "$tree/a/one.xml"
cp "$M" "$tree/a/b/two.xml"
cp "$M" "$tree/.hidden/hidden.xml"
cp "$M" "$tree/out/old.xml"
"$KYODO" build "$tree" -o "$tree/out" -q > "$tmp/out" 2>&1
found=$(ls "$tree/out" | grep -c '\.pdf$')
[ "$found" -eq 2 ] && [ -s "$tree/out/one-sequential.pdf" ] && [ -s "$tree/out/two-sequential.pdf" ] &&
    echo "ok - pipes: build DIR finds drafts in subdirectories, not in hidden ones or its output" ||
    echo "not ok - pipes: build DIR rendered $found PDFs: $(ls "$tree/out")"
"$KYODO" check "$tree" > "$tmp/check" 2>&1
[ $? -eq 0 ] && echo "ok - pipes: check DIR recurses" || echo "not ok - pipes: check DIR: $(head -2 "$tmp/check")"

# No drafts is an error (exit 2), not "0 rendered".
mkdir -p "$tmp/empty"
for command in build check; do
    if [ $command = build ]; then "$KYODO" build "$tmp/empty" -o "$tmp/eo" > "$tmp/err" 2>&1
    else "$KYODO" check "$tmp/empty" > "$tmp/err" 2>&1; fi
    status=$?
    [ $status -eq 2 ] && grep -q "no drafts (\*.xml) found" "$tmp/err" &&
        echo "ok - pipes: $command of a directory without drafts exits 2 and says so" ||
        echo "not ok - pipes: $command without drafts: status $status: $(head -1 "$tmp/err")"
done

# A draft that fails in every layout says why once.
mkdir -p "$tmp/bad"
sed 's|<ja>一つの段落。</ja>||' "$M" > "$tmp/bad/bad.xml"
"$KYODO" build "$tmp/bad" -o "$tmp/bo" --layout sequential,parallel,ja > "$tmp/err" 2>&1
n=$(grep -c "has no Japanese text" "$tmp/err")
[ "$n" -eq 1 ] && echo "ok - pipes: build prints a failing draft's error once, not once per layout" ||
    echo "not ok - pipes: the error was printed $n times"
