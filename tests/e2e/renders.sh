# Sourced by pdfa.sh and pdfua.sh: the PDFs both check, rendered into $tmp
# with $KYODO; failures are "not ok - $check: …" lines. Every sample in every
# layout, and SAMPLE with each feature that draws something of its own
# (--print marks, a title page, change bars, a party's copy).
rendered=""
render() { # NAME ARGS...: renders into $tmp/NAME.pdf (sh has no locals)
    pdf_name=$1
    shift
    if "$KYODO" render "$@" -o "$tmp/$pdf_name.pdf" 2> "$tmp/err"; then
        rendered="$rendered $tmp/$pdf_name.pdf"
    else
        echo "not ok - $check: render $pdf_name: $(head -3 "$tmp/err")"
    fi
}
render_features() { # SAMPLE
    for draft in input/*.xml; do
        name=$(basename "$draft" .xml)
        for layout in sequential parallel en ja; do
            render "$name-$layout" "$draft" --layout "$layout"
        done
    done
    sed 's|<en>|<en>Revised: |' "$1" > "$tmp/revised.xml"
    render print "$1" --print
    render print-parallel "$1" --print --layout parallel
    render title-page "$1" --title-page
    render title-page-parallel "$1" --title-page --layout parallel
    render changes "$tmp/revised.xml" --changes-since "$1" --layout parallel
    render copy-in "$1" --copy in --layout parallel
}
