#!/bin/sh
# Two lanes: four slow documents (a test plugin that sleeps) hold both
# workers, and a new small file is still searchable in under a second (the
# quick worker takes it); with extract_quick_max_kb=0 it waits for them.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
command -v curl >/dev/null || skip_all "curl is needed"
hp="$FOUILLE_BUILDDIR/tests/hostile-plugins/.libs"
[ -f "$hp/slow.so" ] || skip_all "the slow test plugin is not built"

pdir="$t_tmp/plugins"
mkdir -p "$pdir"
ln -s "$FOUILLE_PLUGIN_DIR/text.so" "$pdir/text.so"
ln -s "$FOUILLE_PLUGIN_DIR/markdown.so" "$pdir/markdown.so"
ln -s "$hp/slow.so" "$pdir/slow.so"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
stats() { curl -s "http://127.0.0.1:$d_port/stats" | json "$1" 2>/dev/null; }
# slow_docs DIR SECONDS: four documents the plugin takes SECONDS each on;
# 600 KB each, so that they are not small files themselves.
slow_docs() {
    for i in 1 2 3 4; do
        { printf '%s\nlenteur%d\n' "$2" $i
          head -c 600000 /dev/zero | tr '\0' 'x'; } > "$1/lent$i.slow"
    done
}
# new_note DIR WORD: write a 40-byte Markdown note; print the milliseconds
# until a search over HTTP finds it (or "never" after 60 s).
new_note() {
    start=$(ms)
    printf '# Note\n\nLe rucher %s.\n' "$2" > "$1/$2.md"
    while [ $(( $(ms) - start )) -lt 60000 ]; do
        if curl -s "http://127.0.0.1:$d_port/search?q=$2" | grep -q '"total":1'; then
            echo $(( $(ms) - start ))
            return 0
        fi
        sleep 0.02
    done
    # Why, in the test's log.
    { diag "never found: $2"
      diag "search: $(curl -s "http://127.0.0.1:$d_port/search?q=$2" | head -c 600)"
      diag "stats: $(curl -s "http://127.0.0.1:$d_port/stats" | head -c 3000)"
    } >&2
    echo never
}
# held: wait until both workers have been on a slow document for more than
# extract_slow_ms (2 s by default).
held() {
    i=0
    while [ $i -lt 200 ]; do
        n=$(stats 'j["workers"]["busy"]')
        [ "${n:-0}" -ge 2 ] && break
        sleep 0.05; i=$((i + 1))
    done
    sleep 2.5
}

docs="$t_tmp/docs"
mkdir -p "$docs"
printf 'Un premier document.\n' > "$docs/premier.txt"
start_daemon "$docs" "$t_tmp/db" --plugin-dir="$pdir" --workers=2 \
    --extract-timeout-ms=60000
ok $? "fouilled starts with two workers"
wait_idle 30
usual=$(new_note "$docs" Abeillon)
diag "a new note, nothing else to do: ${usual} ms"

slow_docs "$docs" 20
held
took=$(new_note "$docs" Quenouille)
ok $([ "$took" != never ] && [ "$took" -lt 1000 ]; echo $?) \
   "a new small file is searchable in under 1 s while four slow documents are extracted (${took} ms)"
is "$(fq search --json lenteur1 | json 'j["total"]')" 0 \
   "the slow documents were still being extracted then"
is "$(stats 'j["workers"]["started"]')" 3 \
   "two workers and the quick one, none restarted"
stop_daemon

# Without the quick worker, the note waits for a worker to be free.
docs2="$t_tmp/docs2"
mkdir -p "$docs2"
printf 'Un premier document.\n' > "$docs2/premier.txt"
start_daemon "$docs2" "$t_tmp/db2" --plugin-dir="$pdir" --workers=2 \
    --extract-timeout-ms=60000 --extract-quick-max-kb=0
ok $? "fouilled starts without the quick worker"
wait_idle 30
slow_docs "$docs2" 8
held
took=$(new_note "$docs2" Ruchette)
ok $([ "$took" != never ] && [ "$took" -ge 4000 ]; echo $?) \
   "extract_quick_max_kb=0: the note waits behind the slow documents (${took} ms)"
stop_daemon

plan_end
