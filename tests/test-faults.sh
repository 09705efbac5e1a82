#!/bin/sh
# Faults an unlucky administrator meets, each ending with "index equals
# folder" or the documented outcome.
#
# Deep trees: a path of more than 5,000 bytes (200 folders of 26-letter
# names) and a tree 2,100 folders deep (a/a/a/...) are skipped with one
# log line and a record in `fouille failures`; the rest is indexed; memory
# stays bounded and the daemon answers meanwhile.
#
# Costly queries: 340 one-letter wildcards over 300 documents are answered
# within the time budget; two searches never share a cached answer.
#
# A full disk (as root: the index on a small tmpfs, filled while
# documents arrive, then freed) and descriptors exhausted (prlimit): the
# daemon says "degraded" (/health 503) while commits fail, keeps every
# document of the failed batches, and indexes them all once the resource
# is back, without a restart.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"
http() { python3 "$top_srcdir/tests/http-client.py" "$d_port" "$@"; }
rss() { awk '/^VmRSS/ {print $2}' /proc/$d_pid/status; }

docs="$t_tmp/docs"
mkdir -p "$docs/fiches"
printf 'Accès au foncier\n' > "$docs/fiches/foncier.txt"
# 300 documents of words over every letter, for the wildcards.
python3 - "$docs/mots" <<'PY'
import os, random, string, sys
os.makedirs(sys.argv[1])
rnd = random.Random(15)
for i in range(300):
    words = ("".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(3, 9)))
             for _ in range(200))
    with open(os.path.join(sys.argv[1], "m%03d.txt" % i), "w") as f:
        f.write(" ".join(words) + "\n")
PY
# mkdir -p cannot make these (the shell's paths are limited to PATH_MAX):
# create them one folder at a time from the previous one's descriptor,
# with a searchable file every few levels.
python3 - "$docs" <<'PY'
import os, sys
def tree(top, name, levels, every):
    fd = os.open(sys.argv[1], os.O_RDONLY)
    os.mkdir(top, dir_fd=fd)
    cur = os.open(top, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    length = len(top)
    for i in range(levels):
        if i % every == 0:
            f = os.open("f%d.txt" % i, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=cur)
            os.write(f, b"profond%s niveau %d\n" % (top.encode(), i))
            os.close(f)
        os.mkdir(name, dir_fd=cur)
        nxt = os.open(name, os.O_RDONLY, dir_fd=cur)
        os.close(cur)
        cur = nxt
        length += 1 + len(name)
    f = os.open("fond.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=cur)
    os.write(f, b"abyssal\n")
    os.close(f)
    os.close(cur)
    return length
print(tree("long", "abcdefghijklmnopqrstuvwxyz", 200, 20))
print(tree("deep", "a", 2100, 500))
PY
ok $? "a 5,400-byte path and a 2,100-level tree are made"

start_daemon "$docs" "$t_tmp/db"
ok $? "fouilled starts"
# Answering while it walks: /health within a second, several times.
read codes worst <<EOF2
$(latency "$d_port" /health 5)
EOF2
is "$codes" 200 "the daemon answers /health while it walks"
ok $([ "$worst" -lt 1000 ]; echo $?) "within a second (slowest: $worst ms)"
wait_idle 60; ok $? "the reconcile ends"
like "$(grep -c 'longer than' "$d_log")" '^2$' "one log line for each path too long"
f=$(fq failures --json | json 'sorted(x["reason"] for x in j if x["reason"] == "path too long")')
is "$f" '["path too long", "path too long"]' "both are recorded in fouille failures"
# Idle means the writer has the documents; their commit may follow.
wait_hits foncier 1 20; ok $? "the rest of the folder is indexed"
# Files every 20 levels of 27 bytes: the 8 first are within 4,095 bytes.
wait_hits profondlong 8 20; ok $? "every file of the long path within the limit is indexed"
# Files every 500 levels of 2 bytes: the 5 first are within the limit.
wait_hits profonddeep 5 20; ok $? "every file of the deep tree within the limit is indexed"
is "$(fq search --json abyssal | json 'j["total"]')" 0 "what lies past the limit is not"
r=$(rss)
ok_memory $([ "$r" -lt 204800 ]; echo $?) "memory stays bounded (RSS $((r / 1024)) MB)"
# A live change deep down is still seen by the watcher.
python3 - "$docs" <<'PY'
import os, sys
fd = os.open(sys.argv[1] + "/deep", os.O_RDONLY)
for _ in range(1000):
    n = os.open("a", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = n
f = os.open("vivant.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
os.write(f, b"vivant\n"); os.close(f)
PY
wait_hits vivant 1 10; ok $? "a file created 1,000 folders down is indexed live"
# Another reconcile does not log the same paths again.
kill -HUP $d_pid
sleep 1
wait_idle 60
like "$(grep -c 'longer than' "$d_log")" '^2$' "a second reconcile does not repeat the log lines"
is "$(http get /health | head -1)" 200 "the daemon is healthy"

# 340 one-letter wildcards (1,019 bytes), by 4 clients at once.
python3 - "$d_port" "$d_pid" >"$t_tmp/bomb" <<'PY'
import http.client, string, sys, threading, time, urllib.parse
port, pid = int(sys.argv[1]), sys.argv[2]
letters = string.ascii_lowercase
q = " ".join(letters[i % 26] + "*" for i in range(340))
path = "/search?q=" + urllib.parse.quote(q)
worst = [0.0]
codes = set()
def one():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t0 = time.time()
    c.request("GET", path)
    r = c.getresponse(); r.read()
    codes.add(r.status)
    worst[0] = max(worst[0], time.time() - t0)
ts = [threading.Thread(target=one) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
rss = [int(l.split()[1]) for l in open("/proc/%s/status" % pid) if l.startswith("VmRSS")][0]
print(len(q), " ".join(map(str, sorted(codes))), int(worst[0] * 1000), rss // 1024)
PY
read qlen codes worst rssmb <"$t_tmp/bomb"
diag "a $qlen-byte query of 340 wildcards, 4 at once: slowest $worst ms, RSS $rssmb MB"
is "$codes" 200 "340 one-letter wildcards are answered"
ok $([ "$worst" -lt 3000 ]; echo $?) "within the budget ($worst ms)"
ok_memory $([ "$rssmb" -lt 200 ]; echo $?) "with bounded memory ($rssmb MB)"

# Cache keys: a field separator inside a query.
python3 - "$d_port" >"$t_tmp/cache" <<'PY'
import http.client, json, sys, urllib.parse
port = int(sys.argv[1])
def get(**params):
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("GET", "/search?" + urllib.parse.urlencode(params))
    r = c.getresponse()
    return json.loads(r.read())
out = []
a = get(q="foncier", type="fiche")
b = get(q="foncier\x1ffiche")
out.append("sep %s %s %s" % (a["total"], "total" in b, b.get("cached", False)))
a = get(q="foncier", type="fiche")
out.append("again %s" % a.get("cached", False))
print("\n".join(out))
PY
is "$(sed -n 1p "$t_tmp/cache")" "sep 1 True False" "a separator inside a query does not reach another search's cached answer"
is "$(sed -n 2p "$t_tmp/cache")" "again True" "a repeated search is still answered from the cache"
stop_daemon
ok $? "and stops cleanly"

# ---- full disk, descriptors ---------------------------------------------
health() { python3 - "$d_port" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
c.request("GET", "/health")
r = c.getresponse()
print(r.status, json.loads(r.read())["status"])
PY
}
# wait_health WANT SECONDS
wait_health() {
    i=0
    while [ $i -lt $(($2 * 5)) ]; do
        [ "$(health)" = "$1" ] && return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}
# many FOLDER N WORD: N documents of 4 KB over a vocabulary of 3,000
# words (like real text: a few MB of index), each with WORD.
many() { python3 - "$@" <<'PY'
import os, random, string, sys
folder, n, word = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(folder, exist_ok=True)
rnd = random.Random(15)
vocab = ["".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(4, 10)))
         for _ in range(3000)]
for i in range(n):
    words = (rnd.choice(vocab) for _ in range(600))
    tmp = os.path.join(folder, ".d%03d.txt" % i)
    with open(tmp, "w") as f:
        f.write(word + " " + " ".join(words) + "\n")
    os.rename(tmp, os.path.join(folder, "d%03d.txt" % i))
PY
}

if [ "$(id -u)" -ne 0 ]; then
    ok 0 "# SKIP full disk: needs root to mount a tmpfs"
elif ! mkdir -p "$t_tmp/small" || ! mount -t tmpfs -o size=24m tmpfs "$t_tmp/small" 2>/dev/null; then
    ok 0 "# SKIP full disk: cannot mount a tmpfs here"
else
    trap 'umount "$t_tmp/small" 2>/dev/null; rm -rf "$t_tmp"' EXIT
    docs2="$t_tmp/docs2"
    mkdir -p "$docs2"
    : > "$d_log"
    start_daemon "$docs2" "$t_tmp/small/db"
    ok $? "fouilled starts with its index on a 24 MB tmpfs"
    wait_idle 30
    # Leave about 1 MB free, then send 300 documents.
    dd if=/dev/zero of="$t_tmp/small/filler" bs=1M count=64 2>/dev/null
    rm -f "$t_tmp/small/filler"
    avail=$(df -k --output=avail "$t_tmp/small" | tail -1)
    dd if=/dev/zero of="$t_tmp/small/filler" bs=1k count=$((avail - 1024)) 2>/dev/null
    many "$docs2/plein" 300 disquesature
    wait_health "503 degraded" 60
    ok $? "with the disk full, /health says degraded (503)"
    like "$(grep -c 'commit failed\|write failed' "$d_log")" '^1$' "the failure is logged once"
    is "$(grep -c 'resumed' "$d_log")" 0 "and no resumption is claimed while the disk is full"
    st=$(fq status --json)
    is "$(echo "$st" | json 'j["index"]["degraded"] and j["index"]["last_error"] is not None')" True \
       "fouille status reports degraded and the last error"
    rm -f "$t_tmp/small/filler"
    wait_hits disquesature 300 90
    ok $? "once space is freed, all 300 documents are searchable, without a restart"
    wait_health "200 ok" 20
    ok $? "/health is ok again"
    ok $(grep -q 'resumed' "$d_log"; echo $?) "and the log says indexing resumed"
    is "$(fq failures --json | json 'len(j)')" 0 "no document is recorded as failed"

    stop_daemon
    umount "$t_tmp/small"
fi

# Descriptors: a daemon with a hard limit of 96 open files, and clients
# holding connections until it has none left, while documents arrive.
if command -v prlimit >/dev/null; then
    docs3="$t_tmp/docs3"
    mkdir -p "$docs3"
    : > "$d_log"
    d_wrap="prlimit --nofile=96:96" start_daemon "$docs3" "$t_tmp/db3" --workers=2
    ok $? "fouilled starts with 96 descriptors"
    wait_idle 30
    python3 - "$d_port" "$t_tmp/holding" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
held = []
for _ in range(200):
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=1))
    except OSError:
        break
open(sys.argv[2], "w").write("%d\n" % len(held))
time.sleep(8)
PY
    holder=$!
    sleep 1
    many "$docs3/fd" 40 descripteurmanque
    wait $holder
    diag "connections held: $(cat "$t_tmp/holding")"
    ok $(grep -q 'Too many open files' "$d_log"; echo $?) "descriptors ran out (the log says so)"
    wait_hits descripteurmanque 40 60
    ok $? "once connections close, all 40 documents are searchable"
    is "$(fq failures --json | json 'len(j)')" 0 "none is recorded as a permanent failure"
    wait_health "200 ok" 20
    ok $? "and /health is ok"
    stop_daemon
else
    ok 0 "# SKIP descriptors: no prlimit (util-linux)"
fi

plan_end
