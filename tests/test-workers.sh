#!/bin/sh
# The extraction worker pool against hostile plugins: one that crashes, one
# that never returns, one that allocates without bound, one that writes
# garbage to its parent, one that tries to read /etc/passwd. Each time the
# good documents are all indexed and the bad one is recorded with the right
# reason; a plugin built for another ABI is refused with a clear line.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"
hp="$top_builddir/tests/hostile-plugins/.libs"
[ -f "$hp/crash.so" ] || skip_all "hostile test plugins not built"

pdir="$t_tmp/plugins"
mkdir -p "$pdir"
ln -s "$FOUILLE_PLUGIN_DIR/text.so" "$pdir/text.so"
for p in crash hang alloc garbage escape abi-mismatch; do
    ln -s "$hp/$p.so" "$pdir/$p.so"
done

docs="$t_tmp/docs"
mkdir -p "$docs/a" "$docs/b"
i=0
while [ $i -lt 12 ]; do
    printf 'Document %d sur le foncier agricole, numéro unique mot%d.\n' $i $i > "$docs/a/doc$i.txt"
    i=$((i + 1))
done

run() { # run TRIGGER-EXT EXPECTED-REASON-REGEX DESCRIPTION [extra flags]
    ext=$1 want=$2 what=$3; shift 3
    rm -rf "$t_tmp/db" "$docs/b"/*
    printf 'déclencheur\n' > "$docs/b/trigger.$ext"
    start=$(date +%s)
    out=$("$FOUILLE_BIN" index "$docs" --db "$t_tmp/db" --json \
          --plugin-dir="$pdir" --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" \
          --workers=2 --extract-timeout-ms=3000 --extract-cpu-s=2 \
          --extract-memory-mb=512 \
          "$@" 2>"$t_tmp/err")
    is $? 3 "$what: fouille index finishes, with status 3 (a file failed)"
    took=$(( $(date +%s) - start ))
    ok $((took > 30)) "$what: bounded time (${took}s)"
    is "$(echo "$out" | json 'j["indexed"]')" 12 "$what: every good document indexed"
    reason=$(echo "$out" | json 'list(j["failed_by_reason"].keys())')
    like "$reason" "$want" "$what: reason recorded ($reason)"
    hits=$("$FOUILLE_BIN" search --db "$t_tmp/db" --json --per-page 50 foncier | json 'j["total"]')
    is "$hits" 12 "$what: good documents searchable"
}

run crash '"crashed: SIGSEGV"' "segfaulting plugin"
run hang '"(timeout|cpu limit)"' "looping plugin"
# The allocation limit must strike before the clock: a generous timeout.
run alloc '"memory limit"' "allocating plugin" --extract-timeout-ms=30000 \
    --extract-memory-mb=384
run garbage '"worker protocol error' "garbage-writing plugin"
run escape '"sandbox violation: open' "plugin opening /etc/passwd"
like "$(cat "$t_tmp/err")" 'ABI version 2, but this fouille speaks version 1' \
    "a plugin of another ABI is refused, naming both versions"

# The escape hatch: without the sandbox the same plugin reads the file.
rm -rf "$t_tmp/db" "$docs/b"/*
printf 'x\n' > "$docs/b/trigger.escape"
"$FOUILLE_BIN" index "$docs" --db "$t_tmp/db" --json --no-sandbox \
    --plugin-dir="$pdir" --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" \
    >/dev/null 2>&1
is "$("$FOUILLE_BIN" search --db "$t_tmp/db" --json root | json 'j["total"]')" 1 \
   "--no-sandbox lifts the confinement (for debugging only)"

# A failure is not retried while the file and the plugin stay the same.
out=$("$FOUILLE_BIN" index "$docs" --db "$t_tmp/db" --json \
      --plugin-dir="$pdir" --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" 2>/dev/null)
is "$(echo "$out" | json 'j["unchanged"]')" 13 "a recorded document is not extracted again"

# The host services of the SDK inside the sandbox: the zip reader for DOCX
# and ODT (a bomb refused, the documents read), and the charset decoder
# for HTML: KOI8-R decoded, a charset the worker has no converter for
# guessed (loading one there would be a sandbox violation).
sdk="$t_tmp/sdk"
mkdir -p "$sdk/plugins" "$sdk/docs"
for p in html docx odt; do
    [ -f "$FOUILLE_PLUGIN_DIR/$p.so" ] && ln -s "$FOUILLE_PLUGIN_DIR/$p.so" "$sdk/plugins/"
done
d="$top_srcdir/tests/data"
cp "$d/html/koi8r.html" "$d/html/unknown-charset.html" "$d/docx/guide.docx" \
   "$d/docx/bomb.docx" "$d/odt/tribune.odt" "$sdk/docs/"
if [ -f "$sdk/plugins/html.so" ] && [ -f "$sdk/plugins/docx.so" ] && [ -f "$sdk/plugins/odt.so" ]; then
    out=$("$FOUILLE_BIN" index "$sdk/docs" --db "$sdk/db" --json \
          --plugin-dir="$sdk/plugins" --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" \
          2>"$t_tmp/sdk-err")
    is "$(echo "$out" | json 'j["indexed"]')" 4 "SDK services in the sandbox: four documents indexed"
    is "$(echo "$out" | json 'list(j["failed_by_reason"].keys())')" '["limit exceeded"]' \
       "SDK services in the sandbox: the zip bomb fails on a limit, nothing else fails"
    for w in Привет:1 connaît:1 celluleA:2; do
        is "$("$FOUILLE_BIN" search --db "$sdk/db" --json "${w%:*}" | json 'j["total"]')" "${w#*:}" \
           "SDK services in the sandbox: '${w%:*}' is found in ${w#*:} document(s)"
    done
else
    skip "SDK services in the sandbox" "the html, docx and odt plugins are not all built"
fi

plan_end
