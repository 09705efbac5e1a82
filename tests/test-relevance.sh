#!/bin/sh
# Relevance regression check: the shared corpus indexed, every judged
# query of contrib/bench/queries.tsv run, nDCG@10 compared with the value
# recorded in tests/data/relevance-ndcg10; it fails when nDCG@10 drops
# more than 0.02 below it. Skipped without the shared corpus, and in the
# sanitizer build (the ranking does not depend on the build; the plain
# build checks it).
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

docs="$FOUILLE_SHARED/corpus/docs"
[ -d "$docs" ] || skip_all "no shared corpus ($docs)"
[ -z "$FOUILLE_SANITIZER_FLAGS" ] || skip_all "sanitizer build: the plain build checks relevance"
command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/pdf.so" ] || skip_all "the pdf plugin is not built"

recorded=$(cat "$top_srcdir/tests/data/relevance-ndcg10")
floor=$(python3 -c "print(round($recorded - 0.02, 3))")

fouille index "$docs" --db "$t_tmp/db" >"$t_tmp/index.log" 2>&1
st=$?
# 3: some files failed (the corpus holds two empty files).
ok $([ "$st" -eq 0 ] || [ "$st" -eq 3 ]; echo $?) "the shared corpus is indexed (status $st)"

"$top_srcdir/contrib/bench/relevance" --db "$t_tmp/db" --fouille "$FOUILLE_BIN" \
    --min-ndcg "$floor" >"$t_tmp/table" 2>"$t_tmp/err"
rc=$?
sed 's/^/# /' "$t_tmp/table" "$t_tmp/err"
is "$rc" 0 "nDCG@10 on the judged queries stays at or above $floor (recorded $recorded)"
plan_end
