#!/bin/sh
# Japanese messages (GNU gettext): src/po/ja.po translates every message a
# fresh extraction finds, and with LANG=ja_JP.UTF-8 diagnostics, help texts
# and progress lines are Japanese, while LANG=C stays English and
# --format json keeps its messages English for tools. The ja_JP.UTF-8
# locale is compiled with localedef into the temporary directory (LOCPATH),
# so no root and no generated system locale are needed.
# Usage: gettext.sh KYODO TMPDIR; prints "ok - …" / "not ok - …" lines.
set -u
kyodo=$1
tmp=$2/gettext
rm -rf "$tmp" && mkdir -p "$tmp"

# ---- the catalogue ------------------------------------------------------------
stats=$(msgfmt --check --statistics -o "$tmp/ja.mo" src/po/ja.po 2>&1)
case "$stats" in
*untranslated* | *fuzzy* | *error*) echo "not ok - gettext: ja.po: $stats" ;;
*" translated message"*) echo "ok - gettext: ja.po passes msgfmt --check, none fuzzy or untranslated ($stats)" ;;
*) echo "not ok - gettext: ja.po: msgfmt said: $stats" ;;
esac
if ! sh src/po/extract.sh "$tmp/kyodo.pot" 2> "$tmp/err"; then
    echo "not ok - gettext: extraction failed: $(cat "$tmp/err")"
elif msgcmp src/po/ja.po "$tmp/kyodo.pot" > "$tmp/err" 2>&1; then
    echo "ok - gettext: ja.po translates every message extracted from src/ ($(grep -c '^msgid ' "$tmp/kyodo.pot") msgids)"
else
    echo "not ok - gettext: messages without a translation (run make po, then translate): $(head -5 "$tmp/err")"
fi
# The check can fail: a new message, an emptied and a fuzzy translation.
{ cat "$tmp/kyodo.pot"; printf '\nmsgid "a message nobody translated"\nmsgstr ""\n'; } > "$tmp/new.pot"
sed '0,/^msgstr "エラー"$/s//msgstr ""/' src/po/ja.po > "$tmp/empty.po"
sed '0,/^msgid "warning"$/s//#, fuzzy\nmsgid "warning"/' src/po/ja.po > "$tmp/fuzzy.po"
caught=0
msgcmp src/po/ja.po "$tmp/new.pot" > /dev/null 2>&1 || caught=$((caught + 1))
msgcmp "$tmp/empty.po" "$tmp/kyodo.pot" > /dev/null 2>&1 || caught=$((caught + 1))
msgcmp "$tmp/fuzzy.po" "$tmp/kyodo.pot" > /dev/null 2>&1 || caught=$((caught + 1))
[ "$caught" = 3 ] && echo "ok - gettext: the completeness check fails on a new, an empty and a fuzzy message" ||
    echo "not ok - gettext: the completeness check caught $caught of 3 broken catalogues"

# ---- the locale, unprivileged -------------------------------------------------
mkdir -p "$tmp/locale"
# (Exit status 1 is a warning: -c writes the locale all the same.)
localedef -c -i ja_JP -f UTF-8 "$tmp/locale/ja_JP.UTF-8" > "$tmp/err" 2>&1
if [ ! -f "$tmp/locale/ja_JP.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ]; then
    echo "not ok - gettext: localedef ja_JP.UTF-8 failed (Debian package locales): $(tail -2 "$tmp/err")"
    exit 0
fi
# A clean environment: only what is set here decides the language.
ja() { env -i PATH="$PATH" LOCPATH="$tmp/locale" LANG=ja_JP.UTF-8 "$@"; }
en() { env -i PATH="$PATH" LOCPATH="$tmp/locale" LANG=C "$@"; }

expect() { # NAME EXPECTED-FILE ACTUAL-FILE
    if cmp -s "$2" "$3"; then
        echo "ok - gettext: $1"
    else
        echo "not ok - gettext: $1: got $(head -3 "$3" | tr '\n' '|')"
    fi
}

# ---- diagnostics ----------------------------------------------------------------
bad=tests/bad/annex-before-signatures.xml
ja "$kyodo" check "$bad" > "$tmp/out" 2>&1
printf '%s\n' "$bad:15: エラー: <annex> は <signatures> の後に置く必要がある [schema]" > "$tmp/want"
expect "check in Japanese: the file:line: prefix and [rule] kept, エラー: and the message translated" \
    "$tmp/want" "$tmp/out"
ja "$kyodo" render tests/bad/caret-after-tab-and-japanese.xml -o "$tmp/x.pdf" > "$tmp/out" 2>&1
{
    printf '%s\n' 'tests/bad/caret-after-tab-and-japanese.xml:10:24: エラー: "&" は "&amp;" と書く必要がある'
    tail -n +2 tests/bad/caret-after-tab-and-japanese.err
} > "$tmp/want"
expect "render in Japanese: message, source line and caret" "$tmp/want" "$tmp/out"
en "$kyodo" render tests/bad/caret-after-tab-and-japanese.xml -o "$tmp/x.pdf" > "$tmp/out" 2>&1
expect "LANG=C stays English" tests/bad/caret-after-tab-and-japanese.err "$tmp/out"
env -i PATH="$PATH" LOCPATH="$tmp/locale" LANG=ja_JP.UTF-8 LC_ALL=C "$kyodo" render "$bad" -o "$tmp/x.pdf" \
    > "$tmp/out" 2>&1
expect "LC_ALL=C over LANG=ja_JP.UTF-8 stays English" tests/bad/annex-before-signatures.err "$tmp/out"
# A warning: its label too.
ja "$kyodo" check tests/lint/*.xml 2>&1 | grep -q ': 警告: ' &&
    echo "ok - gettext: warnings are labelled 警告:" || echo "not ok - gettext: no 警告: label in check's warnings"
# JSON is for tools: English messages and severities in any locale.
ja "$kyodo" check --format json "$bad" > "$tmp/out" 2>&1
grep -q '"severity": "error", "message": "<annex> must come after the <signatures>"' "$tmp/out" &&
    echo "ok - gettext: --format json stays English under LANG=ja_JP.UTF-8" ||
    echo "not ok - gettext: --format json: $(cat "$tmp/out")"

mkdir -p "$tmp/bad" && cp "$bad" "$tmp/bad/"
ja "$kyodo" build --format json -q "$tmp/bad" -o "$tmp/badout" > "$tmp/out" 2> "$tmp/err"
grep -q '"message": "<annex> must come after the <signatures>"' "$tmp/out" &&
    grep -q '^kyodo build: 作成 0 件、最新 0 件、失敗 1 件' "$tmp/err" &&
    echo "ok - gettext: build --format json: English JSON, the summary on standard error in Japanese" ||
    echo "not ok - gettext: build --format json: $(tr '\n' '|' < "$tmp/out") / $(tr '\n' '|' < "$tmp/err")"

# ---- help texts, usage errors, progress ---------------------------------------
ja "$kyodo" --help > "$tmp/out" 2>&1
[ "$(head -1 "$tmp/out")" = "使い方: kyodo COMMAND [オプション]" ] && ! grep -q 'Usage' "$tmp/out" &&
    echo "ok - gettext: kyodo --help in Japanese" || echo "not ok - gettext: kyodo --help: $(head -1 "$tmp/out")"
english=""
for command in render build check diff fonts templates new watch; do
    ja "$kyodo" "$command" --help > "$tmp/out" 2>&1
    ja "$kyodo" help "$command" > "$tmp/out2" 2>&1
    head -1 "$tmp/out" | grep -q "^使い方: kyodo $command" && cmp -s "$tmp/out" "$tmp/out2" &&
        ! grep -q 'Usage\|Options:\|Exit status' "$tmp/out" || english="$english $command"
done
[ -z "$english" ] && echo "ok - gettext: every command's --help and kyodo help COMMAND in Japanese" ||
    echo "not ok - gettext: help not (wholly) Japanese for:$english"
en "$kyodo" --help | head -1 | grep -q '^Usage: kyodo COMMAND' &&
    echo "ok - gettext: kyodo --help under LANG=C in English" || echo "not ok - gettext: --help under LANG=C"
ja "$kyodo" rendr > "$tmp/out" 2>&1
printf '%s\n' "kyodo: 不明なコマンド: rendr（render の誤り？）" "詳しくは 'kyodo --help' を参照。" > "$tmp/want"
expect "an unknown command in Japanese" "$tmp/want" "$tmp/out"
ja "$kyodo" render > "$tmp/out" 2>&1
printf '%s\n' "kyodo: render には草案の指定が必要" "詳しくは 'kyodo render --help' を参照。" > "$tmp/want"
expect "a usage error in Japanese" "$tmp/want" "$tmp/out"
mkdir -p "$tmp/drafts" && cp input/japan-india-cyber-dialogue.xml "$tmp/drafts/"
ja "$kyodo" build "$tmp/drafts" -o "$tmp/pdfs" > "$tmp/out" 2>&1
if grep -q "^\[1/1\] .*: 作成$" "$tmp/out" && grep -q '^kyodo build: 作成 1 件、最新 0 件、失敗 0 件（[0-9.]* 秒）$' "$tmp/out"; then
    echo "ok - gettext: build's progress and summary lines in Japanese"
else
    echo "not ok - gettext: build: $(tr '\n' '|' < "$tmp/out")"
fi

# ---- installed: the binary finds PREFIX/share/locale -----------------------------
if make -s install PREFIX="$tmp/prefix" INSTALL_BUILD="$tmp/install-build" > "$tmp/err" 2>&1; then
    if [ -f "$tmp/prefix/share/locale/ja/LC_MESSAGES/kyodo.mo" ] &&
        [ -s "$tmp/prefix/share/man/ja/man1/kyodo.1" ] &&
        ja "$tmp/prefix/bin/kyodo" --help 2>&1 | head -1 | grep -q '^使い方: '; then
        echo "ok - gettext: make install installs kyodo.mo and the Japanese man page; the installed kyodo speaks Japanese"
    else
        echo "not ok - gettext: installed kyodo: $(ja "$tmp/prefix/bin/kyodo" --help 2>&1 | head -1)"
    fi
else
    echo "not ok - gettext: make install failed: $(tail -3 "$tmp/err")"
fi

# The Japanese man page: groff formats it without a warning (a line it
# cannot break, an unknown request), in Japanese.
if command -v groff > /dev/null; then
    LC_ALL=C.UTF-8 groff -man -Tutf8 -k -ww -z src/man/ja/kyodo.1 > "$tmp/err" 2>&1
    if [ -s "$tmp/err" ]; then
        echo "not ok - gettext: groff warns about src/man/ja/kyodo.1: $(head -3 "$tmp/err" | tr '\n' '|')"
    elif LC_ALL=C.UTF-8 groff -man -Tutf8 -k src/man/ja/kyodo.1 2> /dev/null | grep -q 'コマンド'; then
        echo "ok - gettext: the Japanese man page formats without warnings"
    else
        echo "not ok - gettext: the Japanese man page: no Japanese in groff's output"
    fi
else
    echo "not ok - gettext: groff is missing (Debian package groff-base)"
fi
