#!/bin/sh
# Cost against size: every hostile input of tests/e2e/hostile_inputs.py at n
# and 8n must cost at most about n log n in time and linear memory (see
# scaling.py). Usage: scaling.sh KYODO TMPDIR
set -u
mkdir -p "$2/scaling"
python3 tests/e2e/scaling.py "$1" "$2/scaling"
