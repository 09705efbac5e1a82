#!/bin/sh
# Stopping (and reloading) while busy: searches and document downloads
# still queued on libuv's thread pool read the index writer, the
# documents folder and the configuration, which the stop closes and a
# reload replaces. The daemon must wait for them: it exits 0 with every
# handle closed (and, in the sanitizer build, no use after free), and the
# index it leaves opens and answers.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

docs="$t_tmp/docs"; db="$t_tmp/db"
python3 - "$docs" <<'PY'
import os, sys
os.makedirs(sys.argv[1])
for i in range(40):
    with open(os.path.join(sys.argv[1], "fiche%02d.txt" % i), "w") as f:
        f.write("Fiche %d\n\n" % i + "Le foncier solidaire des communes. " * 200)
PY

ROUNDS=4
for round in $(seq 1 $ROUNDS); do
    start_daemon "$docs" "$db" --query-cache-entries=0 \
        --http-max-connections=256 --serve-documents
    ok $? "round $round: fouilled starts"
    wait_hits foncier 40 30
    ok $? "round $round: and indexes the documents"
    # 48 connections asking at once, without waiting for the answers
    # of the others, until the daemon goes away.
    python3 - "$d_port" "$t_tmp/asked.$round" <<'PY' &
import socket, sys, threading, time
port, out = int(sys.argv[1]), sys.argv[2]
asked = [0]
def client(n):
    paths = ["/search?q=foncier+solidaire", "/doc/fiche%02d.txt" % (n % 40),
             "/search?q=commune*", "/search?q=fonciere&per_page=50"]
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            while True:
                s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n"
                           % paths[asked[0] % len(paths)]).encode())
                asked[0] += 1
                if not s.recv(65536):
                    break
        except OSError:
            return
threads = [threading.Thread(target=client, args=(n,), daemon=True)
           for n in range(48)]
for t in threads:
    t.start()
for t in threads:
    t.join(30)
open(out, "w").write(str(asked[0]))
PY
    load=$!
    sleep 1
    if [ $((round % 2)) = 0 ]; then
        # Reloads under load: the configuration the searches read is
        # replaced, the extraction workers restarted.
        kill -HUP $d_pid; sleep 0.3; kill -HUP $d_pid; sleep 0.3
        kill -0 $d_pid
        ok $? "round $round: reloads twice under load and keeps running"
    fi
    sleep 0.5
    stop_daemon
    ok $? "round $round: stops cleanly in the middle of searches (exit $d_status)"
    wait $load
    diag "round $round: $(cat "$t_tmp/asked.$round" 2>/dev/null) requests sent"
done
like "$(cat "$d_log")" "stopped" "the daemon says it stopped"
reports=$(grep -c 'ERROR: AddressSanitizer\|runtime error:' "$d_log")
is "$reports" 0 "no sanitizer report in its log"
[ "$reports" = 0 ] ||
    diag "$(grep -m1 -A14 'ERROR: AddressSanitizer\|runtime error:' "$d_log")"
is "$(fouille search --db "$db" --json foncier | json 'j["total"]')" 40 \
   "the index it leaves answers"
plan_end
