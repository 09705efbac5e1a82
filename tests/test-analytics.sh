#!/bin/sh
# Search analytics through a real fouilled: 10,000 public searches over
# 1,000 distinct queries of known frequencies, the daemon restarted in the
# middle; the top 20 queries and zero-result queries exact afterwards (a
# sketch as large as the distinct queries), and Space-Saving's guarantee
# with a sketch 16 times smaller (every query seen more than searches/K
# times is listed, each count within its error, no more than K entries
# kept). Queries are folded; the staff listener's searches are not
# counted; nothing that identifies a client is written; the click beacon
# takes strict bodies only.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

# The stream: 900 words the documents hold and 100 they do not (letters
# only, far apart in spelling so that no correction turns one into the
# other), each sent a known number of times.
cat > "$t_tmp/stream.py" <<'PY'
import random, sys
C = "bcdfghjklmnpqrtvwz"
def name(prefix, i):
    return prefix + C[i // 324] + C[i // 18 % 18] + C[i % 18]
known = [name("kwkw", i) for i in range(900)]
zero = [name("zyzyzy", i) for i in range(100)]
counts = {}
for r in range(20):                  # top 20: 390, 380, ... 200
    counts[known[r]] = 390 - 10 * r
for r in range(20):                  # zero-result top 20: 59 ... 40
    counts[zero[r]] = 59 - r
tail = known[20:] + zero[20:]        # 960 words, 3 or 4 times each
for i, w in enumerate(tail):
    counts[w] = 4 if i < 230 else 3
assert sum(counts.values()) == 10000 and len(counts) == 1000
if sys.argv[1] == "docs":
    for i in range(0, 900, 30):
        print(" ".join(known[i:i + 30]))
elif sys.argv[1] == "queries":
    qs = []
    for w, n in counts.items():
        for k in range(n):
            # The most frequent word is typed two ways: one key.
            qs.append("Le " + w.upper() if w == known[0] and k % 2 else w)
    random.Random(18).shuffle(qs)
    print("\n".join(qs))
else:                                # the expected lists, as JSON
    import json
    top = sorted(((n, w) for w, n in counts.items()), key=lambda x: (-x[0], x[1]))
    zt = sorted(((counts[w], w) for w in zero), key=lambda x: (-x[0], x[1]))
    print(json.dumps({"top": [[w, n] for n, w in top[:20]],
                      "top_zero": [[w, n] for n, w in zt[:20]]}))
PY
cat > "$t_tmp/send.py" <<'PY'
# send.py PORT FIRST LAST < queries: GET /search for lines FIRST..LAST-1,
# on one keep-alive connection, with headers that name a client.
import http.client, sys, urllib.parse
port, first, last = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
lines = sys.stdin.read().split("\n")[first:last]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
bad = 0
for q in lines:
    c.request("GET", "/search?" + urllib.parse.urlencode({"q": q}),
              headers={"User-Agent": "AgentDuVisiteur/4.2",
                       "X-Forwarded-For": "203.0.113.77"})
    r = c.getresponse()
    r.read()
    bad += r.status != 200
print(bad)
PY

docs="$t_tmp/docs"
mkdir -p "$docs"
i=0
python3 "$t_tmp/stream.py" docs | while read -r line; do
    i=$((i + 1)); printf 'Liste %d\n\n%s\n' $i "$line" > "$docs/l$i.txt"
done
python3 "$t_tmp/stream.py" queries > "$t_tmp/queries"
python3 "$t_tmp/stream.py" expected > "$t_tmp/expected"

report() { fq stats --queries --json --top=20 "$@"; }
get() { python3 -c 'import sys, urllib.request
try: r = urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[1], sys.argv[2]))
except urllib.error.HTTPError as e: r = e
print(r.status); print(r.read().decode().rstrip("\n"))' "$@"; }
# Each start reads its port from a fresh log; the logs are kept in all.log.
restart() { cat "$d_log" >> "$t_tmp/all.log"; : > "$d_log"; start_daemon "$@"; }

# ---- Exact lists, across a restart ----------------------------------------
start_daemon "$docs" "$t_tmp/db" --analytics-top-k=1000 --staff-http=127.0.0.1:0
ok $? "fouilled starts"
wait_idle; ok $? "and indexes the 30 lists of words"
wait_hits kwkwbbb 1; ok $? "a listed word is found"

is "$(python3 "$t_tmp/send.py" $d_port 0 5000 < "$t_tmp/queries")" 0 "5,000 searches answered"
stop_daemon; ok $? "fouilled stops (and saves the analytics)"
ok $([ -s "$t_tmp/db/search-analytics.json" ]; echo $?) "the analytics are written in the index folder"
restart "$docs" "$t_tmp/db" --analytics-top-k=1000 --staff-http=127.0.0.1:0 \
    --staff-base-url='file:///srv/publications/'
ok $? "fouilled starts again"
is "$(report | json 'j["searches"]')" 5000 "the 5,000 searches before the restart are read back"
is "$(python3 "$t_tmp/send.py" $d_port 5000 10000 < "$t_tmp/queries")" 0 "5,000 more searches answered"

r=$(report)
is "$(echo "$r" | json 'j["searches"]')" 10000 "10,000 searches counted"
is "$(echo "$r" | json '[[e["query"], e["count"]] for e in j["top"]]')" \
   "$(json 'j["top"]' < "$t_tmp/expected")" "the top 20 queries, exact"
is "$(echo "$r" | json '[[e["query"], e["count"]] for e in j["top_zero"]]')" \
   "$(json 'j["top_zero"]' < "$t_tmp/expected")" "the top 20 zero-result queries, exact"
is "$(echo "$r" | json 'max(e["error"] for e in j["top"] + j["top_zero"])')" 0 "with no error"
is "$(echo "$r" | json 'j["zero_results"]')" 1230 "every zero-result search counted (59 + ... + 40, and 80 x 3)"
is "$(echo "$r" | json 'j["top"][0]["query"]')" kwkwbbb "\"Le KWKWBBB\" and \"kwkwbbb\" are one query (folded, stop word out)"
like "$(fq stats --queries)" "Top queries without results:" "fouille stats --queries reads as text"
is "$(fq stats --queries --days=0 2>&1; echo " $?")" "fouille stats: --days must be a whole number from 1 to 3660
 2" "--days=0 is a usage error"

# The staff's searches are not the public's.
sp=$(sed -n 's/.*staff listener.* on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$d_log" | tail -1)
python3 "$t_tmp/send.py" $sp 0 50 < "$t_tmp/queries" >/dev/null
is "$(report | json 'j["searches"]')" 10000 "searches on the staff listener are not counted"
is "$(python3 "$top_srcdir/tests/http-client.py" $sp get '/analytics?days=7' | tail -1 | json 'j["searches"]')" 10000 \
   "the staff listener serves /analytics"
# staff_base_url: the staff open documents elsewhere than the public.
is "$(get $sp '/search?q=kwkwbbb' | tail -1 | json 'j["hits"][0]["url"]')" \
   "file:///srv/publications/l1.txt" "staff_base_url links the staff listener's hits"
is "$(fq search --json kwkwbbb | json 'j["hits"][0]["url"]')" \
   "file:///srv/publications/l1.txt" "and the socket's"
is "$(get $d_port '/search?q=kwkwbbb' | tail -1 | json '"url" in j["hits"][0]')" False \
   "but not the public's"
is "$(report | json 'j["searches"]')" 10001 "(a public search, counted)"
is "$(python3 "$top_srcdir/tests/http-client.py" $d_port get '/analytics' | head -1)" 404 \
   "the public listener does not (analytics_http = no)"
is "$(python3 "$top_srcdir/tests/http-client.py" $sp get '/analytics?days=x' | head -1)" 400 "/analytics?days=x: 400"
is "$(python3 "$top_srcdir/tests/http-client.py" $sp get '/analytics?day=3' | head -1)" 400 "/analytics: an unknown parameter is a 400"

# ---- The click beacon ------------------------------------------------------
cat > "$t_tmp/click.py" <<'PY'
# click.py PORT BODY...: POST each body to /click, print the statuses.
import http.client, sys
port = int(sys.argv[1])
out = []
for b in sys.argv[2:]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", "/click", body=b.encode(), headers={"Content-Type": "text/plain;charset=UTF-8"})
    r = c.getresponse()
    r.read()
    out.append(str(r.status))
    c.close()
print(" ".join(out))
PY
click() { python3 "$t_tmp/click.py" $d_port "$@"; }
qid=$(python3 "$top_srcdir/tests/http-client.py" $d_port get '/search?q=kwkwbbc' | tail -1 | json 'j["query_id"]')
like "$qid" '^[0-9a-f]{16}$' "a public search's answer carries a query_id"
is "$(click "{\"query_id\":\"$qid\",\"rank\":3}" "{\"query_id\":\"$qid\",\"rank\":1}")" "204 204" "two opened results: 204"
r=$(report)
is "$(echo "$r" | json '(j["clicks"], j["searches_clicked"], j["mean_click_rank"])')" "(2, 1, 2.0)" \
   "clicks, searches with a click, mean rank"
is "$(echo "$r" | json 'round(j["click_through_rate"] * 10002)')" 1 "click-through rate: 1 search of 10,002"
is "$(click 'nonsense' '[1,2]' '{}' "{\"query_id\":\"$qid\"}" \
      "{\"query_id\":\"$qid\",\"rank\":1,\"ip\":\"1.2.3.4\"}" \
      "{\"query_id\":\"$qid\",\"rank\":0}" "{\"query_id\":\"$qid\",\"rank\":\"1\"}" \
      "{\"query_id\":\"$qid\",\"rank\":10001}" "{\"query_id\":\"$qid\",\"rank\":1.5}" \
      "{\"query_id\":\"$(echo $qid | tr a-f A-F)\",\"rank\":1}" \
      '{"query_id":"abc","rank":1}' "{\"query_id\":\"$qid\",\"query_id\":\"$qid\",\"rank\":1}" \
      "{\"query_id\":\"$qid\",\"rank\":1}x" '')" \
   "400 400 400 400 400 400 400 400 400 400 400 400 400 400" \
   "/click: malformed, missing, extra, out of range, mistyped or duplicate members are 400s"
is "$(click '{"query_id":"0123456789abcdef","rank":1}')" 404 "/click: an unknown query_id is a 404"
is "$(click "$(python3 -c 'print("{\"query_id\":\"" + "a" * 600 + "\",\"rank\":1}")')")" 413 "/click: a body over 512 bytes is a 413"
is "$(python3 "$top_srcdir/tests/http-client.py" $d_port get '/click' | head -1)" 405 "GET /click: 405"
is "$(python3 "$top_srcdir/tests/http-client.py" $d_port raw 'POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}' | head -1)" 405 \
   "POST elsewhere: 405"
is "$(report | json 'j["clicks"]')" 2 "refused beacons count nothing"
since=$(python3 -c 'import sys; print(sum(q.startswith("zyzy") for q in sys.stdin.read().split("\n")[5000:10000]))' < "$t_tmp/queries")
like "$(get $d_port /metrics)" \
     "fouille_analytics_zero_results_total $since" "/metrics: the zero-result searches since the start ($since)"

stop_daemon; ok $? "fouilled stops"
is "$(grep -c -e AgentDuVisiteur -e 203.0.113.77 -e 127.0.0.1 "$t_tmp/db/search-analytics.json")" 0 \
   "the analytics file holds no client address or user agent"
cat "$d_log" >> "$t_tmp/all.log"
is "$(grep -c -e AgentDuVisiteur -e 203.0.113.77 "$t_tmp/all.log")" 0 "nor do the logs"
is "$(grep -c -e "$qid" "$t_tmp/db/search-analytics.json")" 0 "nor the query ids"

# A file that is not ours: reported, kept aside, never fatal.
printf '{"format":"something-else"}' > "$t_tmp/db/search-analytics.json"
restart "$docs" "$t_tmp/db"
ok $? "fouilled starts over a foreign analytics file"
like "$(cat "$d_log")" 'search analytics .*search-analytics.json: not a fouille-analytics file' "which is reported"
ok $([ -f "$t_tmp/db/search-analytics.json.bad" ]; echo $?) "and kept aside"
is "$(report | json 'j["searches"]')" 0 "the store starts empty"
stop_daemon
head -c 3000 /dev/urandom > "$t_tmp/db/search-analytics.json"
restart "$docs" "$t_tmp/db"
ok $? "fouilled starts over a corrupt analytics file"
stop_daemon

# ---- A small sketch: Space-Saving's bounds ---------------------------------
rm -rf "$t_tmp/db2"
restart "$docs" "$t_tmp/db2" --analytics-top-k=64
ok $? "fouilled starts with a sketch of 64 queries"
wait_idle
is "$(python3 "$t_tmp/send.py" $d_port 0 5000 < "$t_tmp/queries")" 0 "5,000 searches"
stop_daemon
restart "$docs" "$t_tmp/db2" --analytics-top-k=64
is "$(python3 "$t_tmp/send.py" $d_port 5000 10000 < "$t_tmp/queries")" 0 "5,000 more after a restart"
report --top=1000 > "$t_tmp/small.json"
stop_daemon
is "$(json 'j["sketch_size"], len(j["top"]) <= 64, len(j["top_zero"]) <= 64' < "$t_tmp/small.json")" \
   "(64, True, True)" "no more than 64 queries kept per list"
is "$(json 'max(len(d["top"]) for d in j["days"]), max(len(d["top_zero"]) for d in j["days"])' \
      < "$t_tmp/db2/search-analytics.json")" "(64, 64)" "nor written"
cat > "$t_tmp/check.py" <<'PY'
# Every query seen more than searches/K times is listed, and each listed
# count is within [true, true + error].
import json, sys
rep = json.load(open(sys.argv[1]))
queries = open(sys.argv[2]).read().split("\n")
true = {}
for q in queries:
    k = q.lower().replace("le ", "")
    true[k] = true.get(k, 0) + 1
listed = {e["query"]: e for e in rep["top"]}
heavy = [k for k, n in true.items() if n > 10000 / 64]
missing = [k for k in heavy if k not in listed]
wrong = [k for k, e in listed.items() if not (e["count"] - e["error"] <= true.get(k, 0) <= e["count"])]
print(len(heavy), missing, wrong)
PY
is "$(python3 "$t_tmp/check.py" "$t_tmp/small.json" "$t_tmp/queries")" "20 [] []" \
   "the 20 queries above searches/K are all listed, every count within its error"

plan_end
