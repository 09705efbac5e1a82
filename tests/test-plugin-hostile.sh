#!/bin/sh
# test-plugin-hostile.sh -- the plugins against the hostile corpus.
#
# Runs plugin-run over every file of $FOUILLE_SHARED/corpus/hostile/ (plus
# the large cases that corpus/tools/make-hostile.sh --large writes at test
# time, half a second) with the plugin its extension implies, each under
# `timeout 60`, and asserts: no crash, no hang, the plugin contract (valid
# UTF-8, nothing printed, no call after stop...) and the expected status.
# Then every file goes through every plugin (a .docx given to the PDF
# plugin, a PDF to the text plugin...): whatever the status, no crash, no
# hang, contract kept. Skips when the shared corpus is absent.
set -u

: "${FOUILLE_BUILDDIR:?run through make check}"
hostile="${FOUILLE_SHARED:-}/corpus/hostile"
if [ ! -d "$hostile" ]; then
    echo "1..0 # SKIP no shared corpus (FOUILLE_SHARED=${FOUILLE_SHARED:-})"
    exit 0
fi
run="$FOUILLE_BUILDDIR/tests/plugin-run"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
out="$tmp/tap"
: >"$out"

large="$tmp/large"
mkdir -p "$large"
if command -v python3 >/dev/null 2>&1 &&
    timeout 60 "$FOUILLE_SHARED/corpus/tools/make-hostile.sh" --large "$large" >/dev/null 2>&1; then
    :
else
    echo "ok - large hostile cases # SKIP make-hostile.sh --large failed (needs python3)" >>"$out"
fi

# What each file must give (plugin-run expectations); unlisted: contract only.
expect() {
    case $1 in
    docx-missing-document-xml.docx)
        echo '{"status": "MALFORMED", "fields": {"title": "Fiche sans contenu"}}' ;;
    docx-zip-bomb-900MB.docx)
        echo '{"status": "LIMIT", "empty": true, "elapsed_ms_max": 5000, "max_rss_mb": 200}' ;;
    empty.pdf | pdf-header-only.pdf | pdf-truncated-0001k.pdf)
        echo '{"status": "MALFORMED", "empty": true}' ;;
    pdf-truncated-99pct.pdf)
        # only the xref and trailer are lost: rebuilt, indexed
        echo '{"status": "OK", "pages": 3, "words": ["Terre", "Liens"]}' ;;
    pdf-truncated-*.pdf | pdf-startxref-past-eof.pdf | pdf-corrupt-xref.pdf)
        # "reconstruct and index, or skip"
        echo '{"status": ["OK", "MALFORMED"]}' ;;
    pdf-encrypted-user-password.pdf)
        echo '{"status": "ENCRYPTED", "empty": true}' ;;
    pdf-encrypted-owner-only.pdf)
        echo '{"status": "OK", "words": ["Terre", "Liens"], "words_min": 100}' ;;
    pdf-20000-pages.pdf)
        # bounded by max_pages: the first 2000 pages, cut
        # and without a page limit, all of them in bounded memory
        echo '{"cases": [{"options": {"max_pages": 2000}, "status": "STOPPED", "pages": 2000, "words": ["foncier"], "elapsed_ms_max": 30000},
                         {"options": {"max_pages": 0}, "status": "OK", "pages": 20000, "elapsed_ms_max": 60000, "max_rss_mb": 400}]}' ;;
    random-bytes*.pdf | random-bytes.docx | random-bytes.odt)
        echo '{"status": ["UNSUPPORTED", "MALFORMED"], "empty": true}' ;;
    random-bytes.html)
        # binary data, not HTML: no garbage text
        echo '{"status": "UNSUPPORTED", "empty": true}' ;;
    html-nested-100k.html)
        echo '{"status": "OK", "fields": {"title": "Imbrication profonde"}, "contains": ["économie circulaire"], "elapsed_ms_max": 10000}' ;;
    markdown-invalid-utf8.md)
        echo '{"status": "OK", "fields": {"title": "Mobilité durable"}, "contains": ["Mobilité durable", "économie", "mobilité"]}' ;;
    html-single-line-50MB.html)
        # 8 MiB budget: cut, in linear time
        echo '{"status": "STOPPED", "fields": {"title": "Une seule ligne"}, "words": ["foncier"], "elapsed_ms_max": 20000}' ;;
    *saut-de-ligne.md)
        echo '{"status": "OK", "fields": {"title": "Fichier au nom piégé"}, "contains": ["contient un saut de ligne"]}' ;;
    *)
        echo '{}' ;;
    esac
}

plugin_for() {
    case $1 in
    *.pdf) echo pdf ;;
    *.docx) echo docx ;;
    *.odt) echo odt ;;
    *.html | *.htm) echo html ;;
    *.md) echo markdown ;;
    *.txt) echo text ;;
    *) echo none ;;
    esac
}

# run NAME PLUGIN FILE EXPECTATIONS
run_one() {
    timeout 60 "$run" --name "$1" --expect "$4" "$2" "$3" >>"$out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 124 ]; then
        echo "not ok - $1: timed out after 60 s" >>"$out"
    elif [ $rc -gt 128 ]; then
        echo "not ok - $1: killed by signal $((rc - 128))" >>"$out"
    elif [ $rc -gt 1 ]; then
        echo "not ok - $1: plugin-run failed ($rc)" >>"$out"
    fi
    [ $rc -le 1 ] || sed 's/^/# /' "$tmp/err" | head -20 >>"$out"
}

for f in "$hostile"/* "$large"/*; do
    [ -f "$f" ] || continue
    base=$(basename "$f")
    name=$(printf '%s' "$base" | tr '\n' '?')
    p=$(plugin_for "$base")
    if [ "$p" = none ]; then
        continue
    fi
    so="$FOUILLE_PLUGIN_DIR/$p.so"
    if [ ! -f "$so" ]; then
        echo "ok - $name # SKIP no $p plugin" >>"$out"
        continue
    fi
    run_one "$name" "$so" "$f" "$(expect "$base")"
done

# Every file through every plugin: only the contract and survival count.
for so in "$FOUILLE_PLUGIN_DIR"/*.so; do
    [ -f "$so" ] || continue
    p=$(basename "$so" .so)
    for f in "$hostile"/* "$large"/*; do
        [ -f "$f" ] || continue
        base=$(basename "$f")
        [ "$(plugin_for "$base")" = "$p" ] && continue
        name=$(printf '%s' "$base" | tr '\n' '?')
        run_one "$p < $name" "$so" "$f" '{"elapsed_ms_max": 30000}'
    done
done

cat "$out"
n=$(grep -c -E '^(not )?ok' "$out")
echo "1..$n"
! grep -q '^not ok' "$out"
