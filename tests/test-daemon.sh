#!/bin/sh
# fouilled against a live folder: add, modify, delete, rename, a tree moved
# in and out, a file written slowly, SIGHUP, SIGTERM; each time the index
# matches the folder. Then kill -9 in the middle of indexing a few thousand
# documents: after a restart the index converges, nothing missing, nothing
# stale.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

docs="$t_tmp/docs"; db="$t_tmp/db"
mkdir -p "$docs/fiches" "$docs/rapports"
printf 'Première fiche sur le foncier agricole, mot alpha.\n' > "$docs/fiches/a.txt"
printf 'Rapport sur la mobilité durable, mot beta.\n' > "$docs/rapports/b.txt"

"$FOUILLE_BUILDDIR/src/fouilled" --docs "$t_tmp/absent" --db "$db" --socket "$t_tmp/x.sock" \
    --http= >/dev/null 2>"$t_tmp/err"
is $? 1 "a missing documents folder: exit status 1"
like "$(cat "$t_tmp/err")" 'absent.*No such file' "and a message naming it"

start_daemon "$docs" "$db"
ok $? "fouilled starts"
wait_idle; ok $? "the initial reconcile completes"
is "$(indexed_paths "$db")" "fiches/a.txt
rapports/b.txt" "both files indexed"

# Plugins are loaded only in the sandboxed workers: the daemon chooses
# from the table they report, and maps no plugin code.
plugdir=$(cd "$FOUILLE_PLUGIN_DIR" && pwd -P)
grep -F "$plugdir/" "/proc/$d_pid/maps" >"$t_tmp/daemon-maps"
is "$(wc -l <"$t_tmp/daemon-maps")" 0 "fouilled maps no plugin .so"
worker=$(ps -o pid= --ppid "$d_pid" | head -1 | tr -d ' ')
if [ -n "$worker" ] && [ -r "/proc/$worker/maps" ] && [ -s "/proc/$worker/maps" ]; then
    grep -qF "$plugdir/text.so" "/proc/$worker/maps"
    ok $? "while its worker maps text.so (the check above can fail)"
else
    skip "a worker maps text.so" "its /proc/PID/maps is not readable here"
fi
like "$(cat "$d_log")" 'extraction workers: [0-9]+ plugins' \
    "the daemon logs the table the workers reported"
h=$(curl -s "http://127.0.0.1:$d_port/health" 2>/dev/null || python3 -c "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:$d_port/health').read().decode())")
like "$h" '"reconciled": ?true' "/health says the reconcile is done"

printf 'Une nouvelle fiche, mot gamma.\n' > "$docs/fiches/c.txt"
wait_hits gamma 1; ok $? "a new file becomes searchable"

printf 'Fiche réécrite, mot delta.\n' > "$docs/fiches/a.txt"
wait_hits delta 1; ok $? "a modified file: the new word is found"
wait_hits alpha 0; ok $? "and the old word is gone"

rm "$docs/rapports/b.txt"
wait_hits beta 0; ok $? "a deleted file leaves the index"

mv "$docs/fiches/c.txt" "$docs/fiches/c-renamed.txt"
wait_hits gamma 1 && wait_idle
is "$(fq search --json gamma | json '[h["path"] for h in j["hits"]]')" '["fiches/c-renamed.txt"]' \
   "a renamed file is found under its new name only"

mkdir -p "$t_tmp/outside/tree/a/b"
printf 'epsilon un\n' > "$t_tmp/outside/tree/one.txt"
printf 'epsilon deux\n' > "$t_tmp/outside/tree/a/two.txt"
printf 'epsilon trois\n' > "$t_tmp/outside/tree/a/b/three.txt"
mv "$t_tmp/outside/tree" "$docs/tree"
wait_hits epsilon 3; ok $? "a tree moved in with one mv: all its files are indexed"
printf 'epsilon quatre\n' > "$docs/tree/a/b/four.txt"
wait_hits epsilon 4; ok $? "its subfolders are watched"
mv "$docs/tree" "$t_tmp/outside/gone"
wait_hits epsilon 0; ok $? "the tree moved out leaves the index"

before=$(fq status --json | json 'j["extracted_since_start"]')
( exec 3>"$docs/fiches/slow.txt"
  for w in zeta1 zeta2 zeta3 zeta4 zeta5 zeta6; do printf '%s ' $w >&3; sleep 0.1; done
  printf 'zetafin\n' >&3 )
wait_hits zetafin 1; ok $? "a file written slowly is indexed once complete"
wait_idle
after=$(fq status --json | json 'j["extracted_since_start"]')
is $((after - before)) 1 "and extracted exactly once, not half-written"

kill -HUP $d_pid
sleep 0.3
kill -0 $d_pid; ok $? "SIGHUP: the daemon reloads and keeps running"
printf 'eta après rechargement\n' > "$docs/fiches/eta.txt"
wait_hits eta 1; ok $? "and keeps indexing after the reload"

stop_daemon; is $? 0 "SIGTERM: exit status 0"
ok $([ ! -S "$d_sock" ]; echo $?) "the socket file is removed"
is "$(indexed_paths "$db")" "fiches/a.txt
fiches/c-renamed.txt
fiches/eta.txt
fiches/slow.txt" "the index matches the folder after all that"

# kill -9 while indexing a few thousand documents, then restart.
big="$t_tmp/big"; bigdb="$t_tmp/bigdb"
mkdir -p "$big"
python3 - "$big" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(3000):
    d = os.path.join(root, "d%02d" % (i % 30))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "doc%04d.txt" % i), "w") as f:
        f.write("Document numéro %d sur le foncier et la mobilité. mot%d\n" % (i, i) * 20)
PY
rm -f "$d_log"
start_daemon "$big" "$bigdb" --batch-size=200
sleep 1.5
kill -9 $d_pid; wait $d_pid 2>/dev/null
ok 0 "kill -9 in the middle of indexing"
# While it was down the folder changed too.
rm "$big/d00/doc0000.txt"
printf 'ajout pendant la panne motpanne\n' > "$big/d01/new.txt"
start_daemon "$big" "$bigdb" --batch-size=200
ok $? "it restarts on the same index"
wait_idle 120; ok $? "and converges"
want=$(cd "$big" && find . -type f | sed 's|^\./||' | sort)
got=$(indexed_paths "$bigdb")
is "$(echo "$got" | wc -l)" "$(echo "$want" | wc -l)" "as many documents as files"
ok $([ "$got" = "$want" ]; echo $?) "the same paths: nothing missing, nothing stale"
is "$(fq search --json motpanne | json 'j["total"]')" 1 "the file added while it was down is there"
stop_daemon

plan_end
