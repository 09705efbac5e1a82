#!/bin/sh
# One path rule for every door (src/relpath.h): `reindex` over the socket
# and `/doc/` on HTTP refuse symbolic links, "..", hidden and ignored
# names, and give one canonical name to "fiches/", "./fiches" and
# "fiches//x"; `/doc/` serves only what the index holds, only regular
# files, in bounded chunks, with headers that keep a document from running
# on the API's origin.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"
http() { python3 "$top_srcdir/tests/http-client.py" "$d_port" "$@"; }
sock() { python3 - "$d_sock" "$@" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rwb")
for line in sys.argv[2:]:
    f.write(line.encode() + b"\n")
f.flush()
for _ in sys.argv[2:]:
    print(f.readline().decode().strip())
PY
}
total() { fq search --json "$1" | json 'j["total"]'; }

docs="$t_tmp/docs"
outside="$t_tmp/outside"
mkdir -p "$docs/fiches" "$docs/.brouillons" "$outside"
printf 'Accès au foncier\n\nLa question foncière.\n' > "$docs/fiches/foncier.txt"
printf 'MOT_DE_PASSE=hiddenxyzzy\n' > "$docs/.env"
printf 'Brouillon\n\ndraftquux\n' > "$docs/.brouillons/notes.md"
printf 'tmpcorge\n' > "$docs/draft.tmp"
printf '<html><body><script>alert(1)</script>pageplugh</body></html>\n' > "$docs/page.html"
printf 'root:x:0:0:outsidegrault\n' > "$outside/passwd.txt"
ln -s "$outside" "$docs/etclink"
ln -s "$outside/passwd.txt" "$docs/fiches/lien.txt"
# A document big enough that reading it whole per client would show.
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    line = "gros document zeta " * 5 + "\n"
    for _ in range(40 * 1024 * 1024 // len(line)):
        f.write(line)' "$docs/gros.txt"

start_daemon "$docs" "$t_tmp/db" --serve-documents=yes \
    --http-write-timeout-ms=1500 --extract-text-max-kb=64 \
    --socket-max-connections=4 --socket-idle-timeout-ms=1000
ok $? "fouilled starts"
wait_idle 60; ok $? "and indexes the fixture"

is "$(total outsidegrault)" 0 "a symbolic link is not followed by the walk"
r=$(sock '{"op":"reindex","path":"etclink/passwd.txt"}' \
         '{"op":"reindex","path":"etclink"}' \
         '{"op":"reindex","path":"fiches/lien.txt"}' \
         '{"op":"reindex","path":"fiches/../../outside/passwd.txt"}' \
         '{"op":"reindex","path":"/etc/passwd"}' \
         '{"op":"reindex","path":".env"}' \
         '{"op":"reindex","path":".brouillons/notes.md"}' \
         '{"op":"reindex","path":"draft.tmp"}')
like "$(echo "$r" | sed -n 1p)" '"status": ?404.*symbolic link|symbolic link.*"status": ?404' "reindex through a linked folder is refused"
like "$(echo "$r" | sed -n 2p)" 'symbolic link' "reindex of a linked folder is refused"
like "$(echo "$r" | sed -n 3p)" 'symbolic link' "reindex of a linked file is refused"
like "$(echo "$r" | sed -n 4p)" 'outside the documents folder' "reindex with .. is refused"
like "$(echo "$r" | sed -n 5p)" 'outside the documents folder' "reindex of an absolute path is refused"
like "$(echo "$r" | sed -n 6p)" 'hidden or ignored' "reindex of a hidden file is refused"
like "$(echo "$r" | sed -n 7p)" 'hidden or ignored' "reindex in a hidden folder is refused"
like "$(echo "$r" | sed -n 8p)" 'hidden or ignored' "reindex of an ignored name is refused"
sleep 1
wait_idle
is "$(total outsidegrault) $(total hiddenxyzzy) $(total draftquux) $(total tmpcorge)" "0 0 0 0" \
   "nothing outside, hidden or ignored became searchable"

r=$(sock '{"op":"reindex","path":"fiches/"}' '{"op":"reindex","path":"./fiches"}' \
         '{"op":"reindex","path":"fiches//foncier.txt"}')
is "$(echo "$r" | while read -r l; do echo "$l" | json 'j["path"]'; done | tr '\n' ' ')" "fiches fiches fiches/foncier.txt " \
   "reindex paths are put in canonical form"
sleep 1
wait_idle
is "$(total foncier)" 1 "reindex fiches/ indexes no second copy"
is "$(fq search --json foncier | json '[h["path"] for h in j["hits"]]')" '["fiches/foncier.txt"]' \
   "under its one name"

# /doc/
r=$(http get '/doc/fiches/foncier.txt')
is "$(echo "$r" | head -1)" 200 "/doc/ serves an indexed document"
python3 - "$d_port" >"$t_tmp/headers" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for path in ("/doc/fiches/foncier.txt", "/doc/page.html"):
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    print(path, r.status, len(body), r.getheader("Content-Security-Policy"),
          r.getheader("X-Content-Type-Options"), r.getheader("Content-Disposition"))
PY
like "$(sed -n 1p "$t_tmp/headers")" '^/doc/fiches/foncier.txt 200 [0-9]+ sandbox nosniff None$' \
     "a document comes with Content-Security-Policy: sandbox and nosniff"
like "$(sed -n 2p "$t_tmp/headers")" '^/doc/page.html 200 [0-9]+ sandbox nosniff attachment$' \
     "HTML is sent as an attachment"
for p in .env .brouillons/notes.md draft.tmp etclink/passwd.txt fiches/lien.txt \
         %2e%2e/outside/passwd.txt fiches/%2e%2e/%2e%2e/outside/passwd.txt \
         fiches/nowhere.txt; do
    is "$(http get "/doc/$p" | head -1)" 404 "/doc/$p: 404"
done

# A FIFO where an indexed document was: refused at once, searches go on.
rm "$docs/fiches/foncier.txt"
mkfifo "$docs/fiches/foncier.txt"
read codes worst <<EOF2
$(latency "$d_port" /doc/fiches/foncier.txt 8)
EOF2
is "$codes" 404 "a FIFO is never served"
ok $([ "$worst" -lt 1000 ]; echo $?) "and never blocks (slowest answer: $worst ms)"
is "$(http get '/search?q=zeta' | head -1)" 200 "searches still answer"

# 20 clients ask for a 40 MB document and never read it: memory stays
# bounded (one chunk each) and the write timeout closes them.
rss() { awk '/^VmRSS/ {print $2}' /proc/$d_pid/status; }
rss0=$(rss)
python3 - "$d_port" "$d_pid" >"$t_tmp/slow" <<'PY'
import socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
def rss():
    for l in open("/proc/%s/status" % pid):
        if l.startswith("VmRSS"):
            return int(l.split()[1])
held = []
for _ in range(20):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /doc/gros.txt HTTP/1.1\r\nHost: t\r\n\r\n")
    held.append(s)
peak = 0
for _ in range(10):
    time.sleep(0.1)
    peak = max(peak, rss())
# Each write has 1.5 s: after 4 s, the daemon has let every one go.
time.sleep(4)
import urllib.request
m = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port).read().decode()
conns = [l for l in m.splitlines() if l.startswith("fouille_http_connections ")]
closed = 20 - (int(conns[0].split()[1]) - 1)
print(peak, closed)
PY
read peak closed <"$t_tmp/slow"
diag "RSS before: ${rss0} KiB, peak with 20 non-reading clients: ${peak} KiB"
ok $([ $((peak - rss0)) -lt 40960 ]; echo $?) "20 non-reading clients of a 40 MB document: RSS grows by less than 40 MB ($(( (peak - rss0) / 1024 )) MB)"
is "$closed" 20 "and the write timeout closes every one of them"
is "$(http get '/health' | head -1)" 200 "the daemon serves others meanwhile"
python3 - "$d_port" >"$t_tmp/full" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
c.request("GET", "/doc/gros.txt")
r = c.getresponse()
print(r.status, len(r.read()) == int(r.getheader("Content-Length")))
PY
is "$(cat "$t_tmp/full")" "200 True" "a reading client gets the whole document"

# Socket limits: 4 connections at most, 1 s of silence.
python3 - "$d_sock" >"$t_tmp/socklim" <<'PY'
import socket, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(5)
    return s
held = [conn() for _ in range(4)]
time.sleep(0.2)
extra = conn()
print(extra.recv(200).decode().strip(), extra.recv(10) == b"")
for s in held:
    s.close()
time.sleep(0.2)
s = conn()
s.sendall(b'{"op":"health"}\n')
print(b'"ok"' in s.recv(500))
t0 = time.time()
print(s.recv(10) == b"", round(time.time() - t0))
PY
is "$(sed -n 1p "$t_tmp/socklim")" '{"error":"too many connections","status":503} True' \
   "over socket_max_connections: a 503 line, then closed"
is "$(sed -n 2p "$t_tmp/socklim")" True "once they close, a new connection is answered"
like "$(sed -n 3p "$t_tmp/socklim")" '^True [12]$' "an idle connection is closed after socket_idle_timeout_ms"

stop_daemon
plan_end
