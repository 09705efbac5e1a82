#!/bin/sh
# Faults an unlucky administrator meets, each ending with "index equals
# folder" or the documented outcome.
#
# Deep trees: a path of more than 5,000 bytes (200 folders of 26-letter
# names) and a tree 2,100 folders deep (a/a/a/...) are skipped with one
# log line and a record in `fouille failures`; the rest is indexed; memory
# stays bounded and the daemon answers meanwhile.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"
http() { python3 "$top_srcdir/tests/http-client.py" "$d_port" "$@"; }
rss() { awk '/^VmRSS/ {print $2}' /proc/$d_pid/status; }

docs="$t_tmp/docs"
mkdir -p "$docs/fiches"
printf 'Accès au foncier\n' > "$docs/fiches/foncier.txt"
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
is "$(fq search --json foncier | json 'j["total"]')" 1 "the rest of the folder is indexed"
# Files every 20 levels of 27 bytes: the 8 first are within 4,095 bytes.
is "$(fq search --json profondlong | json 'j["total"]')" 8 "every file of the long path within the limit is indexed"
# Files every 500 levels of 2 bytes: the 5 first are within the limit.
is "$(fq search --json profonddeep | json 'j["total"]')" 5 "every file of the deep tree within the limit is indexed"
is "$(fq search --json abyssal | json 'j["total"]')" 0 "what lies past the limit is not"
r=$(rss)
ok $([ "$r" -lt 204800 ]; echo $?) "memory stays bounded (RSS $((r / 1024)) MB)"
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
stop_daemon
ok $? "and stops cleanly"

plan_end
