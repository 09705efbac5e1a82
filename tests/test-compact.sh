#!/bin/sh
# Compaction by the daemon: once idle for a few seconds after a share of
# the index changed (compact_after_percent), the writer rewrites the
# index with full B-trees. Searches go on meanwhile and never fail;
# afterwards they see the same documents, and every later commit (the
# compacted index's revisions start again: its readers must open it
# afresh, not reopen); the search analytics kept in the index folder
# survive; with 0 it never compacts.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

docs="$t_tmp/docs"; db="$t_tmp/db"
# write_docs N TAG: N documents, each with its own word and TAG.
write_docs() {
    python3 - "$docs" "$1" "$2" <<'PY'
import os, sys
root, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(n):
    d = os.path.join(root, "d%d" % (i % 10))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "doc%03d.txt" % i), "w") as f:
        f.write("Fiche %d\n\nLe foncier solidaire, mot%d, version %s.\n"
                % (i, i, tag))
PY
}
# index_field NAME: the daemon's /stats index.NAME.
index_field() { fq status --json | json "j['index']['$1']"; }
# wait_compactions N: until N compactions are done and none runs.
wait_compactions() {
    i=0
    while [ $i -lt 400 ]; do
        [ "$(fq status --json 2>/dev/null |
             json "j['index']['compactions'] >= $1 and not j['index']['compacting']" 2>/dev/null)" = True ] &&
            return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}
total() { fq search --json "$1" | json 'j["total"]'; }

write_docs 300 un
start_daemon "$docs" "$db" --analytics-save-s=1
ok $? "fouilled starts"
wait_idle 60; ok $? "and indexes 300 documents"
wait_compactions 1; ok $? "then compacts the index, once idle"
like "$(cat "$d_log")" "index compacted in [0-9.]+ s after [0-9]+ changes" \
     "and says so in its log"
is "$(total foncier)" 300 "every document is found after it"
is "$(total mot123)" 1 "each by its own word"
is "$(fq status --json | json 'j["documents"]')" 300 "the count is intact"

# Searches over HTTP for as long as the next round lasts: none may fail.
python3 - "$d_port" "$t_tmp/stop" >"$t_tmp/searches" <<'PY' &
import http.client, os, sys, time
port, stop = int(sys.argv[1]), sys.argv[2]
ok = bad = 0
while not os.path.exists(stop):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for q in ("foncier", "mot7", "solidaire", "version"):
        try:
            c.request("GET", "/search?q=" + q)
            r = c.getresponse(); r.read()
            ok, bad = (ok + 1, bad) if r.status == 200 else (ok, bad + 1)
        except Exception:
            bad += 1
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.close()
print(ok, bad)
PY
searcher=$!
# Searched words go into the analytics, saved in the index folder.
i=0
while [ $i -lt 100 ] && ! grep -q mot7 "$db/search-analytics.json" 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
done
ok $([ -f "$db/search-analytics.json" ]; echo $?) \
   "the search analytics are saved in the index folder"

# A second round: every document changes (a new tag).
write_docs 300 deux
wait_hits deux 300 60; ok $? "the changes are searchable"
wait_idle 60 && wait_compactions 2; ok $? "a second compaction follows them"
touch "$t_tmp/stop"; wait $searcher
set -- $(cat "$t_tmp/searches")
ok $([ "${1:-0}" -gt 0 ] && [ "${2:-1}" -eq 0 ]; echo $?) \
   "searches during both rounds all answered (${1:-0} answered, ${2:-?} failed)"
is "$(total un)" 0 "no stale version is left"
ok $([ -f "$db/search-analytics.json" ]; echo $?) \
   "the search analytics stayed in the compacted index's folder"
# The compacted index's revisions start again: a reader that merely
# reopened could stay on the old files.
printf 'Fiche neuve\n\nLe mot motneuf.\n' > "$docs/neuve.txt"
wait_hits motneuf 1; ok $? "a change after a compaction is searchable"
stop_daemon; ok $? "fouilled stops cleanly"
ls "$t_tmp" | grep -q 'db\.\(compact\|old\)$'
ok $([ $? -ne 0 ]; echo $?) "no leftover folder from the swap"

# compact_after_percent = 0: never.
start_daemon "$docs" "$db" --compact-after-percent=0
wait_idle 60
write_docs 300 trois
wait_hits trois 300 60 && wait_idle 60; ok $? "with 0, changes are indexed"
is "$(index_field compaction_pending)" False "but no compaction is due"
is "$(index_field compactions)" 0 "and none was made"
stop_daemon

plan_end
