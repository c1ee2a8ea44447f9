#!/bin/sh
# Shell completion: src/completion/kyodo.bash sourced in a non-interactive
# bash, and src/completion/_kyodo in zsh (when zsh is installed), are asked
# for the words of a few command lines, as the shells would ask at <TAB>.
# Usage: completion.sh KYODO TMPDIR; prints "ok - …" / "not ok - …" lines.
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/completion
rm -rf "$tmp" && mkdir -p "$tmp/drafts/sub"
src=$(pwd)/src/completion
: > "$tmp/drafts/a.xml"
: > "$tmp/drafts/b.xml"
: > "$tmp/drafts/notes.txt"

# Each case: the words typed (the last one is being completed), tab, the
# replies expected, sorted and space-separated.
cat > "$tmp/cases" << 'CASES'
re	render
""	build check diff fonts help new render templates watch
--v	--version
render --lay	--layout
render --layout ""	en ja parallel sequential
render --layout pa	parallel
render --layout = pa	parallel
render --layout=pa	--layout=parallel
build in --layout sequential,p	sequential,parallel
render --fi	--first
render --first ""	en ja
check --format j	json
build --standard ""	none pdfa-2u
check --w	--werror
build --q	--quiet
render --template joint-s	joint-statement
render --template-dir @TYPESETTING@ --template measure-2	measure-25
help tem	templates
watch --lay	--layout
watch @DRAFTS@/a	@DRAFTS@/a.xml
render @DRAFTS@/	@DRAFTS@/a.xml @DRAFTS@/b.xml @DRAFTS@/sub
CASES

typesetting=$(pwd)/tests/typesetting/templates
run_cases() { # SHELL: the replies of each case, one line each
    while IFS='	' read -r words expected; do
        words=$(printf '%s' "$words" | sed "s|@DRAFTS@|$tmp/drafts|g; s|@TYPESETTING@|$typesetting|g")
        expected=$(printf '%s' "$expected" | sed "s|@DRAFTS@|$tmp/drafts|g")
        [ "$words" = '""' ] && words=""
        case $words in *' ""') words="${words% \"\"} " ;; esac
        got=$("$1" "$words")
        if [ "$got" = "$expected" ]; then
            echo "ok - completion: $2: kyodo $words<TAB> offers $expected"
        else
            echo "not ok - completion: $2: kyodo $words<TAB>: expected '$expected', got '$got'"
        fi
    done < "$tmp/cases"
}

# The line "kyodo WORDS" split as bash splits it (at "=" too), completed.
bash_complete() {
    bash --norc --noprofile -c '
        . "$1/kyodo.bash"
        line=$3
        COMP_WORDS=("$2")
        read -r -a rest <<< "$line"
        COMP_WORDS+=("${rest[@]}")
        # A trailing space: a new, empty word is being completed.
        [ -z "$line" ] || [ "${line% }" != "$line" ] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _kyodo
        printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"
    ' bash "$src" "$KYODO" "$1"
}
run_cases bash_complete bash

# zsh: the function _kyodo with compadd and _files standing in for the
# completion system, which adds words only where they match $PREFIX.
if command -v zsh > /dev/null; then
    if zsh -n "$src/_kyodo"; then echo "ok - completion: zsh: _kyodo parses"
    else echo "not ok - completion: zsh: _kyodo has a syntax error"; fi
    zsh_complete() {
        zsh -f -c '
            reply=()
            compadd() {
                local -a args=("$@"); local w
                for w in ${args[$((${args[(i)--]} + 1)),-1]}; do
                    [[ $w == ${PREFIX}* ]] && reply+=("$IPREFIX$w")
                done
            }
            _files() {
                local w
                for w in ${PREFIX}*(N); do
                    [[ -d $w || $w == *.xml ]] && reply+=("$w")
                done
            }
            words=("$2" ${(z)3})
            [[ -z $3 || $3 == *" " ]] && words+=("")
            CURRENT=${#words}
            PREFIX=$words[CURRENT] IPREFIX=""
            source "$1/_kyodo"
            print -r -- ${(j: :)${(o)reply}}
        ' zsh "$src" "$KYODO" "$1"
    }
    # "--layout = pa" is how bash splits --layout=pa; zsh does not.
    grep -v '^render --layout = pa' "$tmp/cases" > "$tmp/cases.zsh" && mv "$tmp/cases.zsh" "$tmp/cases"
    run_cases zsh_complete zsh
else
    echo "ok - completion: zsh # skip zsh is not installed"
fi
