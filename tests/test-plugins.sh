#!/bin/sh
# test-plugins.sh -- golden tests of the extractor plugins.
#
# For every tests/data/<format>/<name>.expected.json, run plugin-run with the
# <format> plugin on tests/data/<format>/<name>.<ext> and let it compare the
# result with the expectations (see tests/plugin-run.c for their format).
# Also checks that each built plugin exports exactly one dynamic symbol.
# Prints TAP; plugin-run's lines are unnumbered, the plan comes last.
set -u

: "${FOUILLE_SRCDIR:?run through make check}"
run="$FOUILLE_BUILDDIR/tests/plugin-run"
data="$FOUILLE_SRCDIR/tests/data"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
out="$tmp/tap"
: >"$out"

for exp in "$data"/*/*.expected.json; do
    dir=$(dirname "$exp")
    format=$(basename "$dir")
    stem=${exp%.expected.json}
    name="$format/$(basename "$stem")"
    file=
    for f in "$stem".*; do
        case $f in *.expected.json) ;; *) file=$f ;; esac
    done
    plugin="$FOUILLE_PLUGIN_DIR/$format.so"
    if [ -z "$file" ]; then
        echo "not ok - $name: no fixture beside the expectations" >>"$out"
        continue
    fi
    if [ ! -f "$plugin" ]; then
        echo "ok - $name # SKIP the $format plugin is not built" >>"$out"
        continue
    fi
    timeout 60 "$run" --name "$name" --expect "$exp" "$plugin" "$file" \
        >>"$out" 2>"$tmp/err"
    rc=$?
    if [ $rc -gt 1 ]; then
        # 2: could not load or run; 124: timeout; >128: killed by a signal.
        echo "not ok - $name: plugin-run exited with status $rc" >>"$out"
        sed 's/^/# /' "$tmp/err" >>"$out"
    fi
done

# The linker must have left one exported symbol per plugin.
if command -v nm >/dev/null 2>&1; then
    for so in "$FOUILLE_PLUGIN_DIR"/*.so; do
        [ -f "$so" ] || continue
        syms=$(nm -D --defined-only "$so" | awk '$2 ~ /^[A-Za-z]$/ && $2 != "A" { print $3 }' | sort | tr '\n' ' ')
        if [ "$syms" = "fouille_plugin_entry " ]; then
            echo "ok - $(basename "$so") exports only fouille_plugin_entry" >>"$out"
        else
            echo "not ok - $(basename "$so") exports: $syms" >>"$out"
        fi
    done
fi

cat "$out"
n=$(grep -c -E '^(not )?ok' "$out")
echo "1..$n"
! grep -q '^not ok' "$out"
