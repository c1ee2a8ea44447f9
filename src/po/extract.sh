#!/bin/sh
# Extracts kyodo's messages from src/*.c into OUT (a .pot): `make po` and
# the catalogue's test (tests/e2e/gettext.sh) both call it. Diagnostics need
# no marking: each function that takes a format for ky_diags is a keyword at
# its format's position (diag.c translates the format itself); _(), N_()
# and P_() (i18n.h) mark the rest. Sorted, and located by file only, so
# that edits elsewhere in a file leave the catalogue unchanged.
# Usage: src/po/extract.sh OUT.pot
set -eu
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^#define KY_VERSION "\(.*\)"/\1/p' src/version.h)
xgettext --language=C --from-code=UTF-8 --sort-output --add-location=file --no-wrap \
    --add-comments=TRANSLATORS: --package-name=kyodo --package-version="$version" \
    --msgid-bugs-address="kyodo issues" --keyword=_ --keyword=N_ --keyword=P_:1,2 \
    --keyword=ky_diag_add:6 --keyword=ky_diag_vadd:6 --keyword=ky_error:4 \
    --keyword=finding:5 --keyword=report:4 --keyword=report:5 --keyword=emit_error:4 --keyword=usage_error:2 \
    --flag=ky_diag_add:6:c-format --flag=ky_diag_vadd:6:c-format --flag=ky_error:4:c-format \
    --flag=finding:5:c-format --flag=report:4:c-format --flag=report:5:c-format --flag=emit_error:4:c-format \
    -o "$1" src/*.c
