#!/bin/sh
# The search widget and the staff page in a real browser: headless Chromium
# driven by playwright-core (tests/browser/widget.test.js) against a real
# fouilled on a generated folder of French documents. The example embedding
# page (contrib/widget/example.html) is served from another origin by a
# small static server, so the widget talks to the daemon through CORS; the
# staff page is the daemon's own /. The daemon is stopped mid-session at the
# end.
#
# Needs Node.js 18 or later, npm and Chromium (Debian: chromium nodejs npm);
# skipped without them, except under CI=true, where they must be there.
# playwright-core is installed with npm from tests/browser/package-lock.json
# into the build tree (tests/browser/node_modules); it never downloads a
# browser. CHROMIUM overrides the browser (default /usr/bin/chromium);
# FOUILLE_SCREENSHOT says where to write the screenshot of the example page
# (default tests/browser/screenshot.png in the build tree).
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

chromium=${CHROMIUM:-/usr/bin/chromium}
missing() {
    if [ "${CI:-}" = true ]; then
        echo "1..1"; echo "not ok 1 - browser tests cannot run under CI: $*"; exit 1
    fi
    skip_all "$*"
}
command -v python3 >/dev/null || missing "python3 is needed"
command -v node >/dev/null || missing "Node.js is needed (Debian: nodejs)"
command -v npm >/dev/null || missing "npm is needed (Debian: npm)"
[ -x "$chromium" ] || missing "Chromium is needed at $chromium (Debian: chromium)"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
    missing "Node.js 18 or later is needed, not $(node --version)"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

# playwright-core, from the lock file, into the build tree.
bdir="$top_builddir/tests/browser"
mkdir -p "$bdir"
for f in package.json package-lock.json; do
    cmp -s "$top_srcdir/tests/browser/$f" "$bdir/$f" ||
        cp "$top_srcdir/tests/browser/$f" "$bdir/$f"
done
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["packages"]["node_modules/playwright-core"]["version"])' "$bdir/package-lock.json")
have=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$bdir/node_modules/playwright-core/package.json" 2>/dev/null)
if [ "$have" != "$want" ]; then
    (cd "$bdir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 300 \
        npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) \
        >"$t_tmp/npm.log" 2>&1 ||
        missing "npm ci could not install playwright-core $want: $(tail -3 "$t_tmp/npm.log" | tr '\n' ' ')"
fi

# The documents, in every format whose plugin is built.
formats=
for f in md:markdown html:html pdf:pdf; do
    [ -f "$FOUILLE_PLUGIN_DIR/${f#*:}.so" ] && formats="$formats ${f%%:*}"
done
# shellcheck disable=SC2086
python3 "$top_srcdir/tests/browser/make-docs.py" "$t_tmp/docs" $formats

# The website: a static server on its own port, hence its own origin.
mkdir -p "$t_tmp/site"
: >"$t_tmp/site.log"
python3 -u -m http.server --bind 127.0.0.1 --directory "$t_tmp/site" 0 \
    >"$t_tmp/site.log" 2>&1 &
site_pid=$!
d_pid=
trap 'kill $site_pid $d_pid 2>/dev/null; rm -rf "$t_tmp"' EXIT
i=0
while [ $i -lt 100 ]; do
    site_port=$(sed -n 's/^Serving HTTP on .* port \([0-9]*\).*/\1/p' "$t_tmp/site.log")
    [ -n "$site_port" ] && break
    sleep 0.05; i=$((i + 1))
done
[ -n "$site_port" ]; ok $? "a static server serves the example page"

start_daemon "$t_tmp/docs" "$t_tmp/db" --cors-origins="http://127.0.0.1:$site_port" \
    --serve-documents=yes --analytics-http=yes
ok $? "fouilled starts, allowing the site's origin"
wait_idle; ok $? "and indexes the documents (formats: text$formats)"
grep 'not indexed' "$d_log" | sed 's/^/# /'

sed "s|http://127.0.0.1:8750|http://127.0.0.1:$d_port|g" \
    "$top_srcdir/contrib/widget/example.html" >"$t_tmp/site/example.html"

shot=${FOUILLE_SCREENSHOT:-$bdir/screenshot.png}
start=$(date +%s)
NODE_PATH="$bdir/node_modules" FOUILLE_URL="http://127.0.0.1:$d_port" \
    EXAMPLE_URL="http://127.0.0.1:$site_port/example.html" \
    FOREIGN_URL="http://localhost:$site_port/example.html" \
    FOUILLE_PID=$d_pid CHROMIUM="$chromium" SCREENSHOT="$shot" \
    EXPECT_PDF=$(case $formats in *pdf*) echo 1 ;; esac) \
    EXPECT_VARIANTS=$(case $formats in *md*html*) echo 1 ;; esac) \
    timeout -k 5 110 node "$top_srcdir/tests/browser/widget.test.js" \
    >"$t_tmp/node.out" 2>"$t_tmp/node.err" </dev/null
rc=$?
while IFS= read -r line; do
    case $line in
    "ok - "*) ok 0 "${line#ok - }" ;;
    "not ok - "*) ok 1 "${line#not ok - }" ;;
    *) echo "# $line" ;;
    esac
done <"$t_tmp/node.out"
sed 's/^/# stderr: /' "$t_tmp/node.err" | head -40
is "$rc" 0 "the browser run ends cleanly (in $(($(date +%s) - start)) s)"
[ -s "$shot" ]; ok $? "a screenshot of the example page is written"
diag "screenshot: $shot"

kill -0 "$d_pid" 2>/dev/null && stop_daemon
wait "$d_pid" 2>/dev/null
d_pid=
plan_end
