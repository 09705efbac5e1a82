#!/bin/sh
# OCR on the shared corpus (skipped without ../shared): the scanned Terre de
# Liens fiche, three image-only pages, is found by words of its pages
# (`foncier`, `Terre de Liens`), on the right page, flagged as OCR text.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

scan="divers/numerisations/scan_fiche_terre_de_liens_2016-10.pdf"
[ -f "$FOUILLE_SHARED/corpus/docs/$scan" ] || skip_all "no shared corpus"
command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
[ -f "$FOUILLE_PLUGIN_DIR/ocr.so" ] || skip_all "OCR not built"

docs="$t_tmp/docs"
mkdir -p "$docs/divers/numerisations"
cp "$FOUILLE_SHARED/corpus/docs/$scan" "$docs/$scan"
fouille index "$docs" --db "$t_tmp/db" --json --workers=2 > "$t_tmp/run.json" \
    2>"$t_tmp/err"
ok $? "fouille index"
is "$(json '(j["indexed"], j["no_text"], j["ocr"]["pages"])' < "$t_tmp/run.json")" \
   "(1, 0, 3)" "the scan is indexed with its three pages recognised"

hit() { # hit QUERY: path, page and ocr flag of the first hit
    "$FOUILLE_BIN" search --db "$t_tmp/db" --json "$1" |
        json '"%s %s %s" % ((j["hits"][0]["path"], j["hits"][0].get("page"), j["hits"][0].get("ocr")) if j["hits"] else ("none", 0, False))'
}
is "$(hit foncier)" "$scan 2 True" "foncier finds the scan, on page 2"
is "$(hit 'Terre de Liens')" "$scan 1 True" "Terre de Liens finds it on page 1"
is "$(hit '"terres agricoles"')" "$scan 1 True" \
   "a phrase of its text finds it too"

plan_end
