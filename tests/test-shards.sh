#!/bin/sh
# test-shards.sh -- sharded search end to end: a folder indexed once as one
# index and once as three shards (fouille index --shard=I/3), the shards
# served by xapian-tcpsrv on loopback and listed in a stub file. Through
# `fouille search --db STUB` and a front fouilled (HTTP /search), every
# query of a list gives the same top 10 (paths in order), totals, facet
# counts and snippets as the single index. Then one shard is stopped: the
# partial result is flagged and holds exactly the other shards' results
# (--remote-partial=yes), or the search fails naming the shard (=no), and
# a hung shard costs no more than the timeout. Skipped without
# xapian-tcpsrv (Debian: xapian-tools).
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v xapian-tcpsrv >/dev/null 2>&1 ||
    skip_all "xapian-tcpsrv not found (Debian: xapian-tools)"
command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"
[ -f "$FOUILLE_PLUGIN_DIR/markdown.so" ] || skip_all "markdown plugin not built"

docs="$t_tmp/docs"
timeout_ms=1000

# ---- servers: each shard in its own process group (xapian-tcpsrv forks a
# child per connection), so that stopping the group stops the shard --------
srv_pids=
d_pid=
cleanup() {
    [ -n "$d_pid" ] && kill -TERM "$d_pid" 2>/dev/null
    for p in $srv_pids; do
        kill -CONT "-$p" 2>/dev/null
        kill -KILL "-$p" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$t_tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_open() {
    python3 -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
except OSError:
    sys.exit(1)' "$1"
}

# start_shard I: serve $t_tmp/shardI on port $portI; sets pidI.
start_shard() {
    eval "port=\$port$1"
    if command -v setsid >/dev/null 2>&1; then
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" \
            "$t_tmp/shard$1" >>"$t_tmp/tcpsrv.log" 2>&1 &
    else
        xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" \
            "$t_tmp/shard$1" >>"$t_tmp/tcpsrv.log" 2>&1 &
    fi
    eval "pid$1=$!"
    srv_pids="$srv_pids $!"
    i=0
    while [ $i -lt 100 ]; do
        port_open "$port" && return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

# signal_shard SIG I: the whole shard (its group, or the server and its
# children without setsid).
signal_shard() {
    eval "p=\$pid$2"
    kill "-$1" "-$p" 2>/dev/null ||
        { pkill "-$1" -P "$p"; kill "-$1" "$p"; }
}

# ---- the fixture: 40 small French files over four types and eight years;
# every file has its own length, so that no two relevance scores tie -------
python3 - "$docs" <<'EOF'
import os, sys
root = sys.argv[1]
sentences = [
    "L'accès au foncier agricole reste difficile pour les jeunes.",
    "La question foncière est au cœur des projets de territoire.",
    "Les fonciers solidaires achètent des terres pour installer des paysans.",
    "Une fonciere sans accent, comme on la tape au clavier.",
    "La mobilité durable en zone rurale passe par le covoiturage.",
    "Les collectivités financent la co-construction des politiques locales.",
    "L'agriculture biologique progresse dans la vallée.",
    "La gestion de l'eau préoccupe les agriculteurs et les élus.",
    "Le marché de producteurs anime le centre du village.",
    "Les circuits courts rapprochent producteurs et habitants.",
    "La coconstruction avec les habitants prend du temps.",
    "La restauration collective achète des produits locaux.",
]
folders = ["fiches", "rapports", "guides", "lettres"]
for i in range(40):
    folder = folders[i % 4]
    year = 2016 + i % 8
    body = " ".join(sentences[(i * (2 * k + 1) + 4 * k) % len(sentences)]
                    for k in range(3))
    body += "".join(" complément%d" % k for k in range(i))
    d = os.path.join(root, folder, str(year))
    os.makedirs(d, exist_ok=True)
    if i % 3 == 0:
        text = ("---\ntitle: Note %d sur le territoire\ndate: %d-%02d-15\n"
                "---\n\n# Note %d\n\n%s\n" % (i, year, 1 + i % 12, i, body))
        name = "note-%02d.md" % i
    else:
        text = "Document %d\n\n%s\n" % (i, body)
        name = "doc-%02d.txt" % i
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)
EOF

# ---- one index, three shards ----------------------------------------------
out=$(fouille index "$docs" --db "$t_tmp/all" --json)
ok $? "index the folder as one index"
total=$(echo "$out" | json 'j["indexed"]')
is "$total" 40 "40 documents in the single index"
sum=0 each=
for i in 1 2 3; do
    n=$(fouille index "$docs" --db "$t_tmp/shard$i" --shard=$i/3 --json |
        json 'j["indexed"]')
    sum=$((sum + ${n:-0})); each="$each $n"
done
is "$sum" 40 "the three shards hold the 40 documents between them ($each )"

for i in 1 2 3; do eval "port$i=$(free_port)"; done
ok=0
for i in 1 2 3; do start_shard $i || ok=1; done
ok $ok "three xapian-tcpsrv on loopback ports $port1 $port2 $port3"
stub="$t_tmp/shards.stub"
printf '# fouille shards\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' \
    "$port1" "$port2" "$port3" >"$stub"

# ---- comparing results ----------------------------------------------------
# same_results A.json B.json: prints "same" or what differs. Hits must come
# in the same order, except within a run of hits whose sort keys tie
# exactly (relevance: the score; by date and for listings: the date, then
# the score), where the document ids that break the tie differ between one
# index and shards: there the same paths may come in another order, and
# the number of such reordered runs is printed. Fetch every hit
# (per_page=100) so that a run crossing the 10th hit is seen whole; the top
# 10 is then the first ten of an equal ranking.
cat >"$t_tmp/compare.py" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
by_date = sys.argv[3] == "date"
def key(h):
    return (h.get("date"), h["score"]) if by_date else (h["score"],)
def fail(msg):
    print(msg); sys.exit(0)
if a["total"] != b["total"]:
    fail("total %s vs %s" % (a["total"], b["total"]))
if a["facets"] != b["facets"]:
    fail("facets %s vs %s" % (a["facets"], b["facets"]))
ha, hb = a["hits"], b["hits"]
if len(ha) != len(hb):
    fail("%d hits vs %d" % (len(ha), len(hb)))
reordered = i = 0
while i < len(ha):
    j = i + 1
    while j < len(ha) and key(ha[j]) == key(ha[i]):
        j += 1
    if [key(h) for h in ha[i:j]] != [key(h) for h in hb[i:j]]:
        fail("hit %d: %s vs %s" % (i + 1, ha[i]["path"], hb[i]["path"]))
    pa, pb = [h["path"] for h in ha[i:j]], [h["path"] for h in hb[i:j]]
    if sorted(pa) != sorted(pb):
        fail("hits %d-%d: %s vs %s" % (i + 1, j, pa, pb))
    reordered += pa != pb
    i = j
fields = ("title", "type", "date", "mime", "snippet", "page")
sb = {h["path"]: h for h in hb}
for h in ha:
    for f in fields:
        if h.get(f) != sb[h["path"]].get(f):
            fail("%s: %s %r vs %r" % (h["path"], f, h.get(f), sb[h["path"]].get(f)))
print("same" if not reordered else "same, %d tied runs reordered" % reordered)
EOF
compare() { python3 "$t_tmp/compare.py" "$@"; }

# The queries: words, accents, phrases, operators, wildcards, filters, sort.
# Fields: query|type|year|sort.
cat >"$t_tmp/queries" <<'EOF'
foncier|||
fonciere|||
FONCIÈRES|||
mobilité rurale|||
collectivites|||
co-construction|||
"accès au foncier"|||
eau OR producteurs|||
foncier -jeunes|||
agri*|||
title:note|||
foncier|fiche||
producteurs||2017|
foncier|||date
|||
|guide||
EOF

search_args() { # QUERY TYPE YEAR SORT -> fouille search arguments
    set -- "$1" "$2" "$3" "$4"
    a="--json --per-page=100"
    [ -n "$2" ] && a="$a --type=$2"
    [ -n "$3" ] && a="$a --year=$3"
    [ -n "$4" ] && a="$a --sort=$4"
    echo "$a"
}

n=0
while IFS='|' read -r q ty yr so; do
    n=$((n + 1))
    # shellcheck disable=SC2046
    fouille search --db "$t_tmp/all" $(search_args "$q" "$ty" "$yr" "$so") \
        "$q" >"$t_tmp/one.$n.json" 2>"$t_tmp/err"
    # shellcheck disable=SC2046
    fouille search --db "$stub" $(search_args "$q" "$ty" "$yr" "$so") \
        "$q" >"$t_tmp/cli.$n.json" 2>>"$t_tmp/err"
    mode=relevance
    { [ -z "$q" ] || [ "$so" = date ]; } && mode=date
    hits=$(json 'len(j["hits"])' <"$t_tmp/one.$n.json" 2>/dev/null)
    r=$(compare "$t_tmp/one.$n.json" "$t_tmp/cli.$n.json" $mode 2>&1)
    like "$r" '^same' "CLI over the shards: '$q'${ty:+ type $ty}${yr:+ year $yr}${so:+ by $so}, $hits hits: $r"
    [ "$hits" -gt 0 ] 2>/dev/null || diag "no hits: $(cat "$t_tmp/err")"
done <"$t_tmp/queries"
nq=$n

# Pagination across the shards: page 2 of 10 is hits 11-20 of the ranking.
fouille search --db "$stub" --json --per-page=10 --page=2 foncier \
    >"$t_tmp/p2.json"
is "$(json '[h["path"] for h in j["hits"]]' <"$t_tmp/p2.json")" \
   "$(json '[h["path"] for h in j["hits"][10:20]]' <"$t_tmp/one.1.json")" \
   "page 2 over the shards is hits 11-20 of the single index"

# ---- a front daemon over the shards ----------------------------------------
start_daemon "$docs" "$stub" --remote-partial=yes \
    --remote-timeout-ms=$timeout_ms
ok $? "a front fouilled over the stub starts"

cat >"$t_tmp/get.py" <<'EOF'
import sys, urllib.parse, urllib.request, urllib.error
port, q, ty, yr, so = sys.argv[1:6]
p = {"q": q, "per_page": "100"}
for k, v in (("type", ty), ("year", yr), ("sort", so)):
    if v:
        p[k] = v
url = "http://127.0.0.1:%s/search?%s" % (port, urllib.parse.urlencode(p))
try:
    r = urllib.request.urlopen(url, timeout=30)
    print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.read().decode())
EOF
get() { python3 "$t_tmp/get.py" "$d_port" "$1" "${2:-}" "${3:-}" "${4:-}"; }

n=0
while IFS='|' read -r q ty yr so; do
    n=$((n + 1))
    get "$q" "$ty" "$yr" "$so" >"$t_tmp/http.$n.json"
    mode=relevance
    { [ -z "$q" ] || [ "$so" = date ]; } && mode=date
    r=$(compare "$t_tmp/one.$n.json" "$t_tmp/http.$n.json" $mode 2>&1)
    like "$r" '^same' "HTTP /search over the shards: '$q'${ty:+ type $ty}${yr:+ year $yr}${so:+ by $so}: $r"
done <"$t_tmp/queries"
is "$(json '"partial" in j' <"$t_tmp/http.1.json")" False \
   "no partial flag while every shard answers"

# ---- one shard down -----------------------------------------------------
# The expected partial results: exactly what the two other shards give.
printf 'auto shard1\nauto shard3\n' >"$t_tmp/two.stub"
fouille search --db "$t_tmp/two.stub" --json --per-page=100 foncier \
    >"$t_tmp/two.json"

# elapsed START: seconds since START (date +%s.%N), two decimals.
elapsed() { python3 -c "import sys; print(round($(date +%s.%N) - $1, 2))"; }
fast() { python3 -c "print('fast' if $1 < 4 else 'slow')"; }

signal_shard KILL 2
start=$(date +%s.%N)
get foncier >"$t_tmp/down.json"
took=$(elapsed "$start")
is "$(json '(j.get("partial"), j.get("shards_missing"))' <"$t_tmp/down.json")" \
   "(True, 1)" "shard 2 down: the answer is flagged partial, 1 shard missing"
like "$(compare "$t_tmp/two.json" "$t_tmp/down.json" relevance)" '^same' \
   "the partial answer is exactly the two other shards' answer"
like "$(fast "$took")" '^fast' "answered in $took s (timeout ${timeout_ms} ms)"
like "$(cat "$d_log")" 'did not answer' "the daemon logs the missing shard"

out=$(fouille search --db "$stub" --json --remote-partial=yes foncier)
is "$(echo "$out" | json '(j.get("partial"), j.get("shards_missing"))')" \
   "(True, 1)" "fouille search --remote-partial=yes: flagged partial"
fouille search --db "$stub" --json --remote-partial=no \
    --remote-timeout-ms=$timeout_ms foncier >/dev/null 2>"$t_tmp/err"
ok $((! $?)) "fouille search --remote-partial=no fails"
like "$(cat "$t_tmp/err")" "127\.0\.0\.1:$port2" "and names the shard"

# A shard that hangs (stopped, its connections open): bounded by the
# timeout, not by the shard.
signal_shard STOP 3
start=$(date +%s.%N)
get foncier >"$t_tmp/hung.json"
took=$(elapsed "$start")
is "$(json 'j.get("shards_missing")' <"$t_tmp/hung.json")" 2 \
   "shard 3 hung too: 2 shards missing"
like "$(fast "$took")" '^fast' \
   "answered in $took s, not hung (timeout ${timeout_ms} ms)"
signal_shard CONT 3
stop_daemon
d_pid=

# ---- a strict front --------------------------------------------------------
start_shard 2
ok $? "shard 2 restarted on its port"
# start_daemon reads the port from the log and waits for the socket: both
# must be the new daemon's.
mv "$d_log" "$t_tmp/front-partial.log"
rm -f "$d_sock"
start_daemon "$docs" "$stub" --remote-partial=no \
    --remote-timeout-ms=$timeout_ms
ok $? "a strict front fouilled (--remote-partial=no) starts"
get foncier >"$t_tmp/strict.json"
like "$(compare "$t_tmp/one.1.json" "$t_tmp/strict.json" relevance)" '^same' \
   "every shard answers: full results"
signal_shard KILL 2
start=$(date +%s.%N)
get foncier >"$t_tmp/strict.json"
took=$(elapsed "$start")
like "$(cat "$t_tmp/strict.json")" '"error"' \
   "shard 2 down: the search fails with an error, in $took s"
like "$(cat "$d_log")" "127\.0\.0\.1:$port2" \
   "and the daemon's log names the shard"
start_shard 2
i=0
while [ $i -lt 40 ]; do
    get foncier >"$t_tmp/back.json"
    grep -q '"error"' "$t_tmp/back.json" || break
    sleep 0.25; i=$((i + 1))
done
like "$(compare "$t_tmp/one.1.json" "$t_tmp/back.json" relevance)" '^same' \
   "shard 2 restarted: full results again, without restarting the front"
stop_daemon
d_pid=

plan_end
