#!/bin/sh
# Configuration: the example file documents every key with its default
# (it cannot drift from the code), a config file is read and overridden by
# flags, and bad input gets a message with file and line.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

d="$FOUILLE_BUILDDIR/src/fouilled"
strip() { grep -v -E '^#(plugin_dir|extract_worker) = '; }
"$d" --print-config | strip > "$t_tmp/now"
strip < "$top_srcdir/contrib/fouilled.conf" > "$t_tmp/shipped"
ok $(cmp -s "$t_tmp/now" "$t_tmp/shipped"; echo $?) \
   "contrib/fouilled.conf is what fouilled --print-config prints"
n_keys=$("$d" --help | grep -c -E '^  --([a-z-]+=[A-Z]+|\[no-\][a-z-]+) .*\(default: ')
n_conf=$(grep -c '^#[a-z_]* = ' "$top_srcdir/contrib/fouilled.conf")
is "$n_keys" "$n_conf" "every key of --help is in the example config ($n_keys)"

printf 'docs = /nowhere\nbogus_key = 1\n' > "$t_tmp/bad.conf"
"$d" --config "$t_tmp/bad.conf" 2>"$t_tmp/err"; rc=$?
is $rc 2 "an unknown key: exit status 2"
like "$(cat "$t_tmp/err")" 'bad.conf:2: unknown setting .bogus_key.' "the message names file, line and key"
printf '[fouille]\nworkers = lots\n' > "$t_tmp/bad.conf"
"$d" --config "$t_tmp/bad.conf" 2>"$t_tmp/err"
like "$(cat "$t_tmp/err")" 'bad.conf:2: workers: .lots. is not a whole number' "a bad value is explained"
"$d" --extract-timeout-ms=5 2>"$t_tmp/err"
like "$(cat "$t_tmp/err")" 'extract_timeout_ms: 5 is out of range' "out of range values are refused"
"$d" --shard=3/2 2>"$t_tmp/err"
like "$(cat "$t_tmp/err")" 'shard' "a bad shard spec is refused"
"$d" --config "$t_tmp/missing.conf" 2>"$t_tmp/err"
like "$(cat "$t_tmp/err")" 'missing.conf: No such file' "a missing config file is reported"

# The file is read, flags win.
mkdir -p "$t_tmp/docs"
printf 'docs = %s\ndb = %s\nhttp = 127.0.0.1:1\nlog_level = debug\n' "$t_tmp/docs" "$t_tmp/db" > "$t_tmp/ok.conf"
"$d" --config "$t_tmp/ok.conf" --http=nonsense --socket "$t_tmp/s.sock" \
    --plugin-dir="$FOUILLE_PLUGIN_DIR" --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" \
    2>"$t_tmp/err"; rc=$?
is $rc 1 "a flag overrides the file (bad http address from the flag)"
like "$(cat "$t_tmp/err")" "http: 'nonsense' is not ADDRESS:PORT" "and the error says so"
plan_end
