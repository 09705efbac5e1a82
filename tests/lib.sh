# lib.sh -- helpers for fouille's shell tests (TAP producers).
# Source it, call plan N (or plan_end at the end), then ok/is/like.

t_count=0
t_failed=0

plan() { echo "1..$1"; }
plan_end() { echo "1..$t_count"; [ "$t_failed" -eq 0 ]; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
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
    if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
        ok 1 "$3"; diag "got: '$(printf '%s' "$1" | head -c 400)'" "want match: $2"; fi
}

# A fresh temporary folder, removed at exit.
t_tmp=$(mktemp -d "${TMPDIR:-/tmp}/fouille-test.XXXXXX")
trap 'rm -rf "$t_tmp"' EXIT

# json EXPR < file: evaluate a Python expression over the JSON document j.
json() {
    python3 -c 'import json,sys; j=json.load(sys.stdin); r=eval(sys.argv[1]); print(r if not isinstance(r,(list,dict)) else json.dumps(r, sort_keys=True))' "$1"
}

# fouille with the build tree's plugins and worker.
fouille() {
    "$FOUILLE_BIN" "$@" --plugin-dir="$FOUILLE_PLUGIN_DIR" \
        --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract"
}
