#!/bin/sh
# test-index-symbols.sh -- only the API leaves the index library (the idea
# of notmuch's T360-symbol-hiding). The shim is built with
# -fvisibility=hidden; this reads the symbol tables of its objects with
# readelf and fails if anything but the fouille_index_* / fouille_results_* / fouille_synonyms_*
# functions declared in fouille-index.h is defined with default visibility.
#
# Weak symbols are vague-linkage copies (templates, inline functions,
# typeinfo) instantiated from the C++ and Xapian headers, which declare
# their namespaces visible: they cannot be hidden, are identical to the
# libraries' own copies, and are allowed as long as none involves fouille
# code (a fouille type makes an instantiation hidden).
top_builddir="${top_builddir:-.}"
top_srcdir="${top_srcdir:-.}"
header="$top_srcdir/index/fouille-index.h"

if ! command -v readelf >/dev/null 2>&1; then
    echo "1..0 # SKIP readelf not found"
    exit 0
fi
echo "1..4"

objs=$(ls "$top_builddir"/index/.libs/libfouille_index_la-*.o 2>/dev/null)
[ -n "$objs" ] ||
    objs=$(ls "$top_builddir"/index/libfouille_index_la-*.o 2>/dev/null)
if [ -n "$objs" ]; then
    echo "ok 1 - found the objects of index/libfouille-index.la"
else
    echo "not ok 1 - no object of index/libfouille-index.la" \
        "under $top_builddir/index"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fouille-symbols-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The API: every function declared after FOUILLE_INDEX_API.
awk '/FOUILLE_INDEX_API/ && !/#define/ { want = 1 }
     want && match($0, /fouille_(index|results|synonyms)_[a-z_]+\(/) {
         print substr($0, RSTART, RLENGTH - 1); want = 0 }' "$header" |
    sort -u >"$tmp/api"

# Defined symbols with default visibility: bind, name.
# shellcheck disable=SC2086
readelf -Ws --wide $objs |
    awk '$6 == "DEFAULT" && $7 != "UND" && $8 != "" &&
         ($5 == "GLOBAL" || $5 == "WEAK" || $5 == "UNIQUE") { print $5, $8 }' |
    sort -u >"$tmp/defined"

awk '$1 == "GLOBAL" { print $2 }' "$tmp/defined" | sort -u >"$tmp/strong"
missing=$(comm -23 "$tmp/api" "$tmp/strong")
if [ -s "$tmp/api" ] && [ -z "$missing" ]; then
    echo "ok 2 - all $(wc -l <"$tmp/api") API functions are exported"
else
    echo "not ok 2 - API functions not exported:"
    echo "$missing" | sed 's/^/# /'
fi

extra=$(comm -13 "$tmp/api" "$tmp/strong")
if [ -z "$extra" ]; then
    echo "ok 3 - no other global symbol has default visibility"
else
    echo "not ok 3 - symbols leaking from the index library:"
    echo "$extra" | sed 's/^/# /'
fi

weak=$(awk '$1 != "GLOBAL" { print $2 }' "$tmp/defined")
ours=$(echo "$weak" | grep -i fouille)
nweak=$(echo "$weak" | grep -c .)
if [ -z "$ours" ]; then
    echo "ok 4 - no fouille code leaks through vague linkage" \
        "($nweak weak symbols from system headers)"
else
    echo "not ok 4 - fouille code exported through vague linkage:"
    echo "$ours" | sed 's/^/# /'
fi
