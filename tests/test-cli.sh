#!/bin/sh
# The command-line conventions of fouille and fouilled: --help and -h on
# every command, -V/--version, booleans as flags, "--", the documented exit
# statuses (0, 1, 2, and 3 for fouille index with failures), NO_COLOR, and
# the log line format (journald prefixes only when stderr is the journal).
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

d="$FOUILLE_BUILDDIR/src/fouilled"

# ---- help and version -----------------------------------------------------
for cmd in index search status reindex failures; do
    out=$("$FOUILLE_BIN" $cmd --help 2>&1); rc=$?
    is "$rc" 0 "fouille $cmd --help exits 0"
    like "$out" "^Usage: fouille $cmd" "fouille $cmd --help describes $cmd"
    like "$out" "Exit status: 0 success, 1 failure, 2 usage error" \
        "fouille $cmd --help lists the exit statuses"
    is "$("$FOUILLE_BIN" $cmd -h 2>&1)" "$out" "fouille $cmd -h is --help"
done
like "$("$FOUILLE_BIN" index --help)" '3 some files could not' \
    "fouille index --help documents exit status 3"
like "$("$FOUILLE_BIN" search foncier --db "$t_tmp/x" -h)" '^Usage: fouille search' \
    "-h after other arguments still asks for help (no word -h searched)"
like "$("$FOUILLE_BIN" --help)" '^Usage: fouille COMMAND' "fouille --help"
like "$("$FOUILLE_BIN" -h)" '^Usage: fouille COMMAND' "fouille -h"
is "$("$FOUILLE_BIN" -V)" "fouille $(sed -n 's/^PACKAGE_VERSION = //p' "$FOUILLE_BUILDDIR/Makefile")" \
    "fouille -V prints the version"
is "$("$FOUILLE_BIN" --version)" "$("$FOUILLE_BIN" -V)" "fouille --version"
is "$("$FOUILLE_BIN" search -V)" "$("$FOUILLE_BIN" -V)" "fouille search -V"
like "$("$d" -V)" '^fouilled [0-9]' "fouilled -V"
like "$("$d" -h)" '^Usage: fouilled' "fouilled -h"
like "$("$d" --help)" '--\[no-\]serve-documents' "fouilled --help shows booleans as flags"
"$FOUILLE_BIN" 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "fouille without a command: exit 2"
like "$(cat "$t_tmp/err")" '^Usage' "with the usage on stderr"

# ---- booleans as flags ------------------------------------------------------
docs="$t_tmp/docs"
mkdir -p "$docs/.hidden" "$docs/fiches"
printf 'Accès au foncier agricole\n' > "$docs/fiches/foncier.txt"
printf 'Une fiche cachée sur le foncier\n' > "$docs/.hidden/cache.txt"
seen() { fouille index "$docs" --json "$@" | json 'j["seen"]'; }
is "$(seen --db "$t_tmp/b1" --index-hidden)" 2 "--index-hidden: a flag, the hidden file is seen"
is "$(seen --index-hidden --db "$t_tmp/b2")" 2 "a flag does not swallow the next option"
is "$(seen --db "$t_tmp/b3" --index-hidden --no-index-hidden)" 1 "--no-index-hidden turns it off"
is "$(seen --db "$t_tmp/b4" --index-hidden=yes)" 2 "--index-hidden=yes still accepted"
is "$(seen --db "$t_tmp/b5" --index_hidden=no)" 1 "--index_hidden=no (underscores) too"
fouille index "$docs" --db "$t_tmp/b6" --index-hidden=maybe 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "--index-hidden=maybe: exit 2"
like "$(cat "$t_tmp/err")" "index_hidden: 'maybe' is not yes or no" "and says why"
"$d" --serve-documents --docs "$docs" 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "fouilled --serve-documents --docs DIR without --db: exit 2"
like "$(cat "$t_tmp/err")" 'index are required' "the flag left --docs alone; --db is asked for"

# ---- exit statuses ----------------------------------------------------------
fouille index "$docs" --db "$t_tmp/e0" >/dev/null 2>&1
is $? 0 "fouille index with no failure: 0"
: > "$docs/vide.txt"
fouille index "$docs" --db "$t_tmp/e3" >/dev/null 2>&1
is $? 3 "fouille index with a failed file: 3"
rm "$docs/vide.txt"
FOUILLE_SOCKET="$t_tmp/none.sock" "$FOUILLE_BIN" status 2>"$t_tmp/err"; rc=$?
is "$rc" 1 "fouille status without a daemon: 1"
like "$(cat "$t_tmp/err")" 'none.sock' "naming the socket tried"
"$FOUILLE_BIN" search --bogus foncier 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "an unknown option: 2"
like "$(cat "$t_tmp/err")" "fouille search: unknown or ambiguous option '--bogus'" "named in the message"
"$FOUILLE_BIN" search --json=yes foncier 2>/dev/null; is $? 2 "a value given to a flag: 2"
"$FOUILLE_BIN" search foncier --per-page 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "an option missing its value: 2"
like "$(cat "$t_tmp/err")" 'per-page needs a value' "said so"
"$FOUILLE_BIN" search -x foncier 2>"$t_tmp/err"; is $? 2 "an unknown short option: 2"
"$FOUILLE_BIN" reindex a b 2>/dev/null; is $? 2 "fouille reindex with two paths: 2"
"$d" --docs "$docs" 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "fouilled without --db: 2"
printf 'not a stub\n' > "$t_tmp/stub"
"$d" --config /dev/null --db "$t_tmp/stub" --http 127.0.0.1:0 \
    --socket "$t_tmp/s.sock" 2>"$t_tmp/err"; rc=$?
is "$rc" 1 "a db that is a file (a stub of shards) needs no --docs: read, refused, 1"
"$d" --docs "$docs" --db "$t_tmp/db" extra 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "fouilled with a stray argument: 2"
"$d" --config /dev/null --docs "$docs" --db /proc/no/such/db --socket "$t_tmp/s.sock" \
    --http 127.0.0.1:0 --plugin-dir="$FOUILLE_PLUGIN_DIR" \
    --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" 2>"$t_tmp/err"; rc=$?
is "$rc" 1 "fouilled that cannot open its index: 1"

# "--" ends the options: a word starting with "-" is a query word.
fouille index "$docs" --db "$t_tmp/q" >/dev/null 2>&1
is "$("$FOUILLE_BIN" search --db "$t_tmp/q" --json -- foncier -agricole | json 'j["total"]')" 0 \
    "after --, -agricole is the NOT operator, not an option"
# The search parameters are the daemon's, parsed by the same code.
is "$("$FOUILLE_BIN" search --db "$t_tmp/q" --json --folder=fiches --type=guide,fiche foncier | json '[h["path"] for h in j["hits"]]')" \
    '["fiches/foncier.txt"]' "--folder and --type with two values"
is "$("$FOUILLE_BIN" search --db "$t_tmp/q" --json --folder=guides foncier | json 'j["total"]')" 0 "--folder elsewhere: nothing"
is "$("$FOUILLE_BIN" search --db "$t_tmp/q" --json -- foncier dossier:guides | json 'j["total"]')" 0 "dossier: in the query"
"$FOUILLE_BIN" search --db "$t_tmp/q" --date-from=2017-13 foncier 2>"$t_tmp/err"; is $? 2 "a malformed --date-from: 2"
like "$(cat "$t_tmp/err")" 'date_from must be a date' "named in the message"

# ---- NO_COLOR ---------------------------------------------------------------
if command -v script >/dev/null 2>&1; then
    q="'$FOUILLE_BIN' search --db '$t_tmp/q' foncier"
    script -qec "$q" /dev/null > "$t_tmp/color" 2>&1
    ok $(grep -q "$(printf '\033')\[" "$t_tmp/color"; echo $?) "on a terminal, matches are coloured"
    NO_COLOR=1 script -qec "$q" /dev/null > "$t_tmp/plain" 2>&1
    ok $(grep -q "$(printf '\033')\[" "$t_tmp/plain"; [ $? -ne 0 ]; echo $?) "NO_COLOR: no escape sequence"
    like "$(cat "$t_tmp/plain")" 'foncier.txt' "and the results are still there"
else
    diag "script(1) missing: NO_COLOR not checked"
fi

# ---- log lines ----------------------------------------------------------------
: > "$docs/vide.txt"
fouille index "$docs" --db "$t_tmp/l1" >/dev/null 2>"$t_tmp/log"
like "$(cat "$t_tmp/log")" '^[0-9-]{10}T[0-9:]{8}Z fouille\[[0-9]+\]: warning: vide.txt: not indexed: empty file$' \
    "to a file: time, program[pid], level, the file and the reason"
JOURNAL_STREAM=$(stat -c '%d:%i' "$t_tmp/log") \
    fouille index "$docs" --db "$t_tmp/l2" >/dev/null 2>>"$t_tmp/log"
like "$(tail -1 "$t_tmp/log")" '^<4>vide.txt: not indexed: empty file$' \
    "stderr is \$JOURNAL_STREAM: a journald priority prefix (<4> warning)"
JOURNAL_STREAM=1:1 fouille index "$docs" --db "$t_tmp/l3" >/dev/null 2>"$t_tmp/log2"
like "$(cat "$t_tmp/log2")" '^[0-9-]{10}T.* fouille\[[0-9]+\]: warning: ' \
    "a \$JOURNAL_STREAM that is not stderr (2>file under systemd): plain lines"

plan_end
