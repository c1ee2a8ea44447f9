#!/bin/sh
# make deb: the package is built from a staged make install, names its
# version, its runtime libraries and fonts as dependencies (each one a real,
# installed package here), holds the binary, data, man page and completions,
# and, extracted into a temporary root with dpkg -x, renders the sample.
# Usage: deb.sh KYODO TMPDIR; prints "ok - …" / "not ok - …" lines.
set -u
tmp=$2/deb
rm -rf "$tmp" && mkdir -p "$tmp"
sample=$(pwd)/input/japan-india-cyber-dialogue.xml

if ! deb=$(make -s deb DEB_DIR="$tmp/build" 2> "$tmp/err") || [ ! -s "$deb" ]; then
    echo "not ok - deb: make deb failed: $(tail -3 "$tmp/err")"
    exit 0
fi
echo "ok - deb: make deb builds $(basename "$deb")"
version=$(sed -n 's/^#define KY_VERSION "\(.*\)"/\1/p' src/version.h)
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = kyodo ] && [ "$(field Version)" = "$version" ] &&
    [ "$(field Architecture)" = "$(dpkg --print-architecture)" ] &&
    echo "ok - deb: package kyodo, version $version from src/version.h" ||
    echo "not ok - deb: control: $(field Package) $(field Version) $(field Architecture)"

# Every library kyodo links and every font and pattern package it reads.
depends=$(field Depends)
missing=""
for need in libhpdf libxml2 libharfbuzz0b libharfbuzz-subset0 libicu libnettle libhyphen0 zlib1g \
    hyphen-en-us fonts-ipaexfont-mincho fonts-ipaexfont-gothic fonts-liberation2; do
    case ", $depends" in *", $need"*) ;; *) missing="$missing $need" ;; esac
done
case "$depends" in *-dev*) missing="$missing (a -dev package)" ;; esac
[ -z "$missing" ] && echo "ok - deb: depends on the runtime libraries, fonts and patterns" ||
    echo "not ok - deb: Depends lacks$missing: $depends"
# Each dependency is a package Debian has (installed here, as kyodo runs).
absent=""
for package in $(printf '%s' "$depends" | tr ',' '\n' | sed 's/(.*//; s/ //g'); do
    dpkg-query -W -f='${Status}' "$package" 2> /dev/null | grep -q "ok installed" || absent="$absent $package"
done
[ -z "$absent" ] && echo "ok - deb: every dependency is an installed Debian package" ||
    echo "not ok - deb: dependencies not installed:$absent"

contents=$(dpkg-deb --contents "$deb" | awk '{ print $6 }')
lacking=""
for file in ./usr/bin/kyodo ./usr/share/kyodo/templates/joint-statement.xml \
    ./usr/share/kyodo/fonts/fontset.xml ./usr/share/kyodo/schema/draft.rng \
    ./usr/share/man/man1/kyodo.1.gz ./usr/share/bash-completion/completions/kyodo \
    ./usr/share/zsh/vendor-completions/_kyodo ./usr/share/doc/kyodo/copyright \
    ./usr/share/doc/kyodo/NEWS.md ./usr/share/locale/ja/LC_MESSAGES/kyodo.mo \
    ./usr/share/man/ja/man1/kyodo.1.gz; do
    printf '%s\n' "$contents" | grep -qxF "$file" || lacking="$lacking $file"
done
[ -z "$lacking" ] && echo "ok - deb: binary, templates, font set, schemas, man pages, catalogue, completions" ||
    echo "not ok - deb: the package lacks$lacking"
dpkg-deb --contents "$deb" | awk '$2 != "root/root" { bad = 1 } END { exit bad }' &&
    echo "ok - deb: every file owned by root" || echo "not ok - deb: files not owned by root"

# Installed into a temporary root: the binary is built for /usr/share/kyodo;
# KYODO_TEMPLATE_PATH and KYODO_FONTSET point it at the extracted data.
root=$tmp/root
dpkg -x "$deb" "$root"
data=$root/usr/share/kyodo
sed 's/template="joint-statement"/template="nowhere"/' "$sample" > "$tmp/nowhere.xml"
(cd / && "$root/usr/bin/kyodo" render "$tmp/nowhere.xml" -o "$tmp/nowhere.pdf" 2>&1) | grep -q "searched /usr/share/kyodo/templates)" &&
    echo "ok - deb: the packaged kyodo looks for its templates in /usr/share/kyodo" ||
    echo "not ok - deb: the packaged kyodo does not look in /usr/share/kyodo"
if (cd / && KYODO_TEMPLATE_PATH=$data/templates KYODO_FONTSET=$data/fonts/fontset.xml \
    "$root/usr/bin/kyodo" render "$sample" -o "$tmp/installed.pdf" 2> "$tmp/err") &&
    pdftotext "$tmp/installed.pdf" - 2> /dev/null | grep -q "Cyber"; then
    echo "ok - deb: the extracted kyodo renders the sample with the extracted templates and font set"
else
    echo "not ok - deb: the extracted kyodo cannot render: $(head -2 "$tmp/err")"
fi
KYODO_TEMPLATE_PATH=$data/templates "$root/usr/bin/kyodo" templates 2> /dev/null |
    grep -q "^ *$data/templates/joint-statement.xml$" &&
    echo "ok - deb: kyodo templates lists the extracted templates" ||
    echo "not ok - deb: kyodo templates does not list $data/templates"
"$root/usr/bin/kyodo" --version 2> /dev/null | grep -q "^kyodo $version$" &&
    echo "ok - deb: the extracted kyodo says version $version" ||
    echo "not ok - deb: --version of the extracted kyodo"
