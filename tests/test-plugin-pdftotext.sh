#!/bin/sh
# test-plugin-pdftotext.sh -- the PDF plugin's words and pages against
# pdftotext (poppler-utils), over every PDF of $FOUILLE_SHARED/corpus/docs
# (from its manifest.tsv).
#
# For each PDF:
#  - the plugin's status is OK and its output keeps the plugin contract;
#  - words: at least 99% of the words of `pdftotext` (with multiplicity) are
#    words of the plugin's text; both are normalised the same way (ASCII
#    lower case, split on anything but letters, digits and non-ASCII bytes);
#  - pages: for up to three pages (first, middle, last page with text), up to
#    four words that the plugin places on that page only are all found by
#    `pdftotext -f N -l N` on the same page.
# Runs two documents at a time. Skips without pdftotext or the shared corpus.
set -u

# One document: "$0" --one INDEX PATH OUTDIR (run through xargs below).
if [ "${1:-}" = "--one" ]; then
    i=$2 pdf=$3 dir=$4
    name=$(printf '%s' "$pdf" | sed 's|^.*corpus/docs/||')
    out="$dir/$i.tap"
    norm='function tok(s, a) { s = tolower(s); gsub(/[^a-z0-9\200-\377]+/, " ", s); return split(s, a, " ") }'
    {
        timeout 120 "$run" --text-bytes 0 --text-out "$dir/$i.txt" \
            --name "$name" --expect '{"status": "OK"}' "$so" "$pdf"
        if ! "$PDFTOTEXT" -q -enc UTF-8 "$pdf" "$dir/$i.ref" 2>/dev/null; then
            echo "not ok - $name: pdftotext failed"
            exit 0
        fi
        cov=$(LC_ALL=C awk "$norm"'
            FNR == 1 { f++ }
            f == 1 { n = tok($0, a); for (k = 1; k <= n; k++) have[a[k]] = 1; next }
            { n = tok($0, a); for (k = 1; k <= n; k++) { t++; if (a[k] in have) h++; else miss[a[k]] = 1 } }
            END {
                r = t ? h / t : 1
                printf "%sok - %s: %.2f%% of %d pdftotext words in the plugin text\n", (r < 0.99 ? "not " : ""), name, 100 * r, t
                if (r < 0.99) { m = 0; for (w in miss) if (m++ < 20) printf "# missing: %s\n", w }
            }' name="$name" "$dir/$i.txt" "$dir/$i.ref" 2>&1)
        case $cov in
        ok* | "not ok"*) printf '%s\n' "$cov" ;;
        *) echo "not ok - $name: word comparison failed: $cov" ;;
        esac
        # Sample words the plugin places on one page only: "page word" lines.
        LC_ALL=C awk "$norm"'
            BEGIN { RS = "\f" }
            { p = NR; n = tok($0, a); for (k = 1; k <= n; k++) if (length(a[k]) >= 5) {
                w = a[k]; if (!(w in page)) { page[w] = p; order[++nw] = w } else if (page[w] != p) page[w] = -1 } }
            END {
                for (k = 1; k <= nw; k++) if (page[order[k]] > 0) { p = page[order[k]]; if (!(p in cnt)) pages[++np] = p; if (cnt[p]++ < 4) words[p] = words[p] " " order[k] }
                if (np == 0) exit
                sel[1] = pages[1]; sel[2] = pages[int((np + 1) / 2)]; sel[3] = pages[np]
                for (s = 1; s <= 3; s++) if (!(sel[s] in done)) { done[sel[s]] = 1; print sel[s] words[sel[s]] }
            }' "$dir/$i.txt" >"$dir/$i.sample"
        while read -r p words; do
            "$PDFTOTEXT" -q -enc UTF-8 -f "$p" -l "$p" "$pdf" - 2>/dev/null |
                LC_ALL=C awk "$norm"'
                    { n = tok($0, a); for (k = 1; k <= n; k++) have[a[k]] = 1 }
                    END {
                        n = split(words, w, " "); bad = ""
                        for (k = 1; k <= n; k++) if (!(w[k] in have)) bad = bad " " w[k]
                        printf "%sok - %s: page %d:%s found by pdftotext -f %d -l %d\n", (bad == "" ? "" : "not "), name, p, (bad == "" ? words : " NOT" bad), p, p
                    }' name="$name" p="$p" words="$words" 2>&1 |
                sed 's/^awk:/not ok - page check failed: awk:/'
        done <"$dir/$i.sample"
    } >"$out" 2>&1
    rm -f "$dir/$i.txt" "$dir/$i.ref"
    exit 0
fi

: "${FOUILLE_BUILDDIR:?run through make check}"
docs="${FOUILLE_SHARED:-}/corpus"
PDFTOTEXT=${PDFTOTEXT:-$(command -v pdftotext)}
if [ -z "$PDFTOTEXT" ] || [ ! -x "$PDFTOTEXT" ]; then
    echo "1..0 # SKIP pdftotext not found"
    exit 0
fi
if [ ! -f "$docs/manifest.tsv" ]; then
    echo "1..0 # SKIP no shared corpus (FOUILLE_SHARED=${FOUILLE_SHARED:-})"
    exit 0
fi
so="$FOUILLE_PLUGIN_DIR/pdf.so"
if [ ! -f "$so" ]; then
    echo "1..0 # SKIP the pdf plugin is not built"
    exit 0
fi
run="$FOUILLE_BUILDDIR/tests/plugin-run"
export run so PDFTOTEXT

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# Every PDF of the manifest (column 2 is the detected format), whatever its
# extension, numbered to keep the output in manifest order.
awk -F '\t' 'NR > 1 && $2 == "pdf" { printf "%d\t%s\n", ++n, $1 }' \
    "$docs/manifest.tsv" >"$tmp/list"
if [ ! -s "$tmp/list" ]; then
    echo "1..0 # SKIP no PDF in the manifest"
    exit 0
fi
while IFS='	' read -r i path; do
    printf '%s\0%s\0%s\0%s\0' --one "$i" "$docs/$path" "$tmp"
done <"$tmp/list" | xargs -0 -n 4 -P 2 sh "$0"

n=$(wc -l <"$tmp/list")
k=1
while [ "$k" -le "$n" ]; do
    cat "$tmp/$k.tap" 2>/dev/null ||
        echo "not ok - document $k: no result"
    k=$((k + 1))
done >"$tmp/all"
cat "$tmp/all"
echo "# $n PDFs"
echo "1..$(grep -c -E '^(not )?ok' "$tmp/all")"
! grep -q '^not ok' "$tmp/all"
