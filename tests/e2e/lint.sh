#!/bin/sh
# kyodo check beyond one finding per crafted draft (run.sh's tests/lint
# loop): drafts that must pass silently (equivalent numbers in words and
# Japanese forms, URLs in Japanese text, check-ignore on the statement),
# and the findings check-ignore suppresses, listed in --format json.
# Usage: lint.sh KYODO TMPDIR
set -u
KYODO=$1
tmp=$2/lint-e2e
mkdir -p "$tmp" || exit 1

for draft in tests/lint/clean/*.xml; do
    name=$(basename "$draft" .xml)
    "$KYODO" check --werror "$draft" > "$tmp/out" 2>&1
    status=$?
    if [ $status -eq 0 ] && [ ! -s "$tmp/out" ]; then
        echo "ok - check clean/$name: no findings"
    else
        echo "not ok - check clean/$name: exit $status: $(head -n 3 "$tmp/out" | tr "\n" " ")"
    fi
done

# Suppressed findings are in the JSON, marked, and do not count: the
# leftover marker the title carries is an error that no longer fails.
"$KYODO" check --format json tests/lint/check-ignore.xml > "$tmp/json"
status=$?
python3 -c "
import json, sys
try:
    f = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    f = []
hidden = sorted((d['line'], d['rule']) for d in f if d.get('suppressed') is True)
shown = [(d['line'], d['rule']) for d in f if d.get('suppressed') is False]
want = [(8, 'unsigned-party'), (10, 'leftover-marker'), (14, 'number-mismatch'),
        (16, 'ja-ascii-punctuation'), (18, 'note-mismatch'), (19, 'ja-ascii-punctuation'),
        (20, 'en-fullwidth'), (20, 'ja-ascii-punctuation'), (25, 'ja-halfwidth-kana'),
        (30, 'party-signs-twice')]
ok = hidden == want and shown == [(27, 'number-mismatch')] and sys.argv[2] == '0'
print(('ok' if ok else 'not ok') + ' - check --format json: check-ignore lists %d suppressed findings (%s), exit %s'
      % (len(hidden), 'as expected' if ok else 'got %s, shown %s' % (hidden, shown), sys.argv[2]))
" "$tmp/json" "$status"

# The attribute is check's alone: render takes such a draft as any other.
if "$KYODO" render tests/lint/check-ignore.xml -o "$tmp/ignore.pdf" 2> "$tmp/err"; then
    echo "ok - render: a draft with check-ignore renders"
else
    echo "not ok - render: a draft with check-ignore: $(head -n 3 "$tmp/err" | tr "\n" " ")"
fi

# Each sample on its own, with --werror: nothing to say about any of them.
for draft in input/*.xml; do
    "$KYODO" check --werror "$draft" > "$tmp/out" 2>&1
    status=$?
    if [ $status -eq 0 ] && [ ! -s "$tmp/out" ]; then
        echo "ok - check --werror $draft: prints nothing"
    else
        echo "not ok - check --werror $draft: exit $status: $(head -n 3 "$tmp/out" | tr "\n" " ")"
    fi
done

# Numbers in every form, note counts and signatories, swept.
python3 tests/e2e/lint_sweep.py "$KYODO" "$tmp"
