# lib.sh -- helpers for fouille's shell tests (TAP producers).
# Source it, call plan N (or plan_end at the end), then ok/is/like.

t_count=0
t_failed=0

plan() { echo "1..$1"; }
plan_end() { echo "1..$t_count"; [ "$t_failed" -eq 0 ]; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
# skip DESCRIPTION REASON: one check that cannot be made here.
skip() { t_count=$((t_count + 1)); echo "ok $t_count - $1 # SKIP $2"; }
# ok_memory CONDITION-EXIT-STATUS DESCRIPTION: a memory bound, which an
# AddressSanitizer build cannot be held to (its shadow memory and
# quarantine multiply the figures).
ok_memory() {
    if [ -n "${FOUILLE_SANITIZER_FLAGS:-}" ]; then skip "$2" "sanitizer build"
    else ok "$1" "$2"; fi
}
diag() { printf '# %s\n' "$@"; }

# ok CONDITION-EXIT-STATUS DESCRIPTION: ok 0 "x" passes.
ok() {
    t_count=$((t_count + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $t_count - $2"
    else
        echo "not ok $t_count - $2"
        t_failed=$((t_failed + 1))
    fi
}

# is GOT WANT DESCRIPTION
is() {
    if [ "$1" = "$2" ]; then ok 0 "$3"; else
        ok 1 "$3"; diag "got:  '$1'" "want: '$2'"; fi
}

# like GOT REGEX DESCRIPTION
like() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
        ok 1 "$3"; diag "got: '$(printf '%s' "$1" | head -c 400)'" "want match: $2"; fi
}

# A fresh temporary folder, removed at exit.
t_tmp=$(mktemp -d "${TMPDIR:-/tmp}/fouille-test.XXXXXX")
# When a check failed, the end of the daemon's log goes into the test's log
# first: the folder that held it is about to go.
t_exit() {
    if [ "$t_failed" -gt 0 ] && [ -s "${d_log:-}" ]; then
        diag "the end of fouilled's log:"
        tail -n 30 "$d_log" | sed 's/^/#   /'
    fi
    rm -rf "$t_tmp"
}
trap t_exit EXIT

# json EXPR < file: evaluate a Python expression over the JSON document j.
json() {
    python3 -c 'import json,sys; j=json.load(sys.stdin); r=eval(sys.argv[1]); print(r if not isinstance(r,(list,dict)) else json.dumps(r, sort_keys=True))' "$1"
}

# fouille with the build tree's plugins and worker.
fouille() {
    "$FOUILLE_BIN" "$@" --plugin-dir="$FOUILLE_PLUGIN_DIR" \
        --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract"
}

# ---- daemon helpers -------------------------------------------------------

# start_daemon DOCS DB [flags]: start fouilled in the background on a free
# port and its own socket; sets d_pid, d_port, d_sock, d_log. A command in
# d_wrap (e.g. "prlimit --nofile=64:64") runs it, and must exec it.
start_daemon() {
    d_docs=$1 d_db=$2; shift 2
    d_sock="$t_tmp/fouilled.sock"
    d_log="$t_tmp/fouilled.log"
    # Only this start's lines: an earlier daemon's port may be in the log.
    d_log_from=$(($(cat "$d_log" 2>/dev/null | wc -l) + 1))
    $d_wrap "$FOUILLE_BUILDDIR/src/fouilled" --docs "$d_docs" --db "$d_db" \
        --socket "$d_sock" --http 127.0.0.1:0 \
        --plugin-dir="$FOUILLE_PLUGIN_DIR" \
        --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" \
        --log-level=info "$@" >>"$d_log" 2>&1 &
    d_pid=$!
    d_port=
    i=0
    while [ $i -lt 100 ]; do
        d_port=$(tail -n +"$d_log_from" "$d_log" |
            sed -n 's/.*HTTP on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' | tail -1)
        [ -n "$d_port" ] && [ -S "$d_sock" ] && return 0
        kill -0 $d_pid 2>/dev/null || return 1
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

# Exit status 70 means the loop still had handles open at exit (libuv's
# uv_loop_close check): that fails the test, whatever else it checks.
stop_daemon() {
    kill -TERM $d_pid 2>/dev/null
    wait $d_pid
    d_status=$?
    [ $d_status -ne 70 ] || ok 1 "fouilled exits with every libuv handle closed"
    return $d_status
}

# The CLI against the running daemon.
fq() { FOUILLE_SOCKET="$d_sock" "$FOUILLE_BIN" "$@"; }

# wait_idle [SECONDS]: until the initial reconcile is done and nothing is
# queued, extracting or waiting to be written.
wait_idle() {
    limit=$(( ${1:-30} * 20 ))
    i=0
    while [ $i -lt $limit ]; do
        s=$(fq status --json 2>/dev/null | json '(j["reconciled"] and sum(j["queue"].values()) == 0)' 2>/dev/null)
        [ "$s" = True ] && return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

# wait_hits QUERY N [SECONDS]: until QUERY has N results (through the socket).
wait_hits() {
    limit=$(( ${3:-10} * 20 ))
    i=0
    while [ $i -lt $limit ]; do
        n=$(fq search --json "$1" 2>/dev/null | json 'j["total"]' 2>/dev/null)
        [ "$n" = "$2" ] && return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

# Every path the index holds as a document, sorted, one per line.
indexed_paths() {
    p=1
    while :; do
        "$FOUILLE_BIN" search --db "$1" --json --no-group --per-page=1000 \
            --per-page-max=1000 --page=$p '' >"$t_tmp/page.json" || break
        n=$(json 'len(j["hits"])' <"$t_tmp/page.json")
        [ "$n" -gt 0 ] || break
        json '"\n".join(h["path"] for h in j["hits"])' <"$t_tmp/page.json"
        p=$((p + 1))
    done | sort
}

# latency PORT PATH N: GET PATH N times, 0.2 s apart, over fresh
# connections; prints the statuses met (sorted, unique) and the slowest
# answer in ms (timed inside one process: starting python is slow).
latency() {
    python3 - "$@" <<'PY'
import http.client, sys, time
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
codes, worst = set(), 0.0
for _ in range(n):
    t0 = time.time()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        codes.add(r.status)
    except OSError:
        codes.add(0)
    c.close()
    worst = max(worst, (time.time() - t0) * 1000)
    time.sleep(0.2)
print(" ".join(str(x) for x in sorted(codes)), int(worst))
PY
}
