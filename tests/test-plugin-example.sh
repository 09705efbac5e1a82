#!/bin/sh
# The plugin author's path: install fouille into a temporary root, build
# contrib/plugin-example out of tree with pkg-config and the installed
# header only, drop the .so into the installed plugin folder, and see .csv
# files that were recorded as unsupported become searchable, without
# re-extracting anything else.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
command -v pkg-config >/dev/null || skip_all "pkg-config is needed"
command -v cc >/dev/null || skip_all "a C compiler is needed"

dest="$t_tmp/root"
make -s -C "$top_builddir" install DESTDIR="$dest" >"$t_tmp/install.log" 2>&1
ok $? "make install into a temporary root"
pc=$(find "$dest" -name fouille-plugin.pc | head -1)
ok $([ -n "$pc" ]; echo $?) "fouille-plugin.pc is installed"
hdr=$(find "$dest" -path '*/include/fouille/plugin.h' | head -1)
ok $([ -n "$hdr" ]; echo $?) "the ABI header is installed as fouille/plugin.h"

export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$dest"
plugindir=$(pkg-config --variable=plugindir fouille-plugin)
# pkgconf prefixes variables with the sysroot too; pkg-config 0.29 does not.
case "$plugindir" in "$dest"/*) ;; *) plugindir="$dest$plugindir" ;; esac
ok $([ -f "$plugindir/text.so" ]; echo $?) "pkg-config's plugindir holds the installed plugins"
bin=$(find "$dest" -type f -name fouille -path '*/bin/*' | head -1)
worker=$(find "$dest" -type f -name fouille-extract | head -1)

cp -r "$top_srcdir/contrib/plugin-example" "$t_tmp/example"
chmod -R u+w "$t_tmp/example"
make -s -C "$t_tmp/example" CFLAGS="-O2 -Wall -Wextra -Werror" >"$t_tmp/build.log" 2>&1
ok $? "the example builds out of tree, warning-free, against the installed header"
[ -f "$t_tmp/example/csv.so" ] || cat "$t_tmp/build.log" | sed 's/^/# /'
exports=$(nm -D --defined-only "$t_tmp/example/csv.so" 2>/dev/null | awk '$2 == "T" {print $3}')
is "$exports" fouille_plugin_entry "it exports fouille_plugin_entry only"

# A plugin folder with the installed plugins but the text one, so that
# both test files start with no plugin at all.
pdir="$t_tmp/plugins"
mkdir -p "$pdir"
for so in "$plugindir"/*.so; do
    [ "$(basename "$so")" = text.so ] || cp "$so" "$pdir/"
done

docs="$t_tmp/docs"
mkdir -p "$docs/data"
cp "$top_srcdir/contrib/plugin-example/sample.csv" "$docs/data/dispositifs.csv"
printf 'Une note sur le foncier.\n' > "$docs/note.txt"
idx() { "$bin" index "$docs" --db "$t_tmp/db" --json --plugin-dir="$pdir" \
            --extract-worker="$worker" 2>>"$t_tmp/err"; }
out=$(idx)
is "$(echo "$out" | json 'sorted(j["failed_by_reason"].keys())')" \
   '["unsupported: text/csv", "unsupported: text/plain"]' \
   "without plugins for them, both files are recorded as unsupported"
is "$("$bin" search --db "$t_tmp/db" --json Rennes | json 'j["total"]')" 0 "and is not searchable"

cp "$t_tmp/example/csv.so" "$pdir/csv.so"
out=$(idx)
is "$(echo "$out" | json '(j["indexed"], j["unchanged"], j["failed"])')" "(1, 1, 0)" \
   "with the plugin dropped in, only the CSV file is extracted (the other stays as recorded)"
r=$("$bin" search --db "$t_tmp/db" --json 'bail rural')
is "$(echo "$r" | json '[h["path"] for h in j["hits"]]')" '["data/dispositifs.csv"]' \
   "and its cells are searchable"
like "$(echo "$r" | json 'j["hits"][0]["snippet"]')" 'BRE' "quoted cells are decoded"
out=$(idx)
is "$(echo "$out" | json 'j["unchanged"]')" 2 "a third run extracts nothing"
plan_end
