#!/bin/sh
# Cost against size: every hostile input of tests/e2e/hostile_inputs.py at n
# and 8n must cost at most about n log n in time and linear memory, and the
# structure tree and a thousand-page statement their bounds (see
# scaling.py). The compressed pages wait for the end in a temporary file in
# $TMPDIR: where none can be made, or once it is full, in memory, and the
# PDF is the same. Usage: scaling.sh KYODO TMPDIR
set -u
mkdir -p "$2/scaling"
python3 tests/e2e/scaling.py "$1" "$2/scaling"

KYODO=$1
spill=$2/scaling/spill
mkdir -p "$spill"
draft=input/japan-india-summit-2015.xml
same_pdf() { # WHERE TMPDIR
    if TMPDIR=$2 "$KYODO" render "$draft" --layout parallel -o "$spill/other.pdf" 2> "$spill/err" &&
        cmp -s "$spill/file.pdf" "$spill/other.pdf"; then
        echo "ok - scaling: the pages wait in memory where $1: the same PDF"
    else
        echo "not ok - scaling: pages in memory where $1: $(head -2 "$spill/err")"
    fi
}
if "$KYODO" render "$draft" --layout parallel -o "$spill/file.pdf" 2> "$spill/err"; then
    same_pdf "TMPDIR is missing" "$spill/missing"
    printf x > "$spill/a-file"
    same_pdf "TMPDIR is a file" "$spill/a-file"
    # A TMPDIR that fills after some pages, swept across its size.
    mkdir -p "$spill/tiny"
    for kb in 4 8 16 32 64; do
        if ! mount -t tmpfs -o size=${kb}k tmpfs "$spill/tiny" 2>/dev/null; then
            echo "# scaling: cannot mount a tmpfs here; the full-TMPDIR test did not run" >&2
            break
        fi
        same_pdf "a $kb KB TMPDIR fills" "$spill/tiny"
        umount "$spill/tiny"
    done
else
    echo "not ok - scaling: render for the spill tests: $(head -2 "$spill/err")"
fi
