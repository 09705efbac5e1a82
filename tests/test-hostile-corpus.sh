#!/bin/sh
# The shared corpus's hostile files mixed with its good documents, through
# the real worker pool: fouille index finishes in bounded time, every good
# document is indexed and searchable, and every hostile file is either
# indexed (when it can be recovered) or recorded with its reason.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

corpus="$FOUILLE_SHARED/corpus"
[ -d "$corpus/docs" ] && [ -d "$corpus/hostile" ] || skip_all "no shared corpus at $corpus"
command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"

tree="$t_tmp/tree"
mkdir -p "$tree"
cp -r "$corpus/docs/." "$tree/"
mkdir -p "$tree/hostile"
cp "$corpus/hostile/"* "$tree/hostile/"
rm -f "$tree/hostile/README.md"
if [ -x "$corpus/tools/make-hostile.sh" ]; then
    "$corpus/tools/make-hostile.sh" --large "$tree/hostile" >/dev/null 2>&1 ||
        diag "make-hostile.sh --large failed; large cases left out"
fi
chmod -R u+w "$tree"

start=$(date +%s)
"$FOUILLE_BIN" index "$tree" --db "$t_tmp/db" --json \
    --plugin-dir="$FOUILLE_PLUGIN_DIR" --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" \
    --extract-timeout-ms=120000 --extract-cpu-s=120 >"$t_tmp/out.json" 2>"$t_tmp/err"
is $? 3 "fouille index over docs + hostile finishes with status 3 (some files failed)"
took=$(( $(date +%s) - start ))
ok $((took > 600)) "in bounded time (${took}s)"

"$FOUILLE_BIN" failures --db "$t_tmp/db" --json >"$t_tmp/failures.json"
indexed_paths "$t_tmp/db" >"$t_tmp/indexed"

# Every good document: all files of docs/ but the empty ones and the
# hidden ones (ignored by design).
(cd "$corpus/docs" && find . -type f ! -empty ! -path '*/.*' | sed 's|^\./||' | sort) >"$t_tmp/good"
missing=$(comm -23 "$t_tmp/good" "$t_tmp/indexed")
is "$missing" "" "every good document is indexed ($(wc -l <"$t_tmp/good") files)"
[ -z "$missing" ] || grep -F "$(echo "$missing" | head -3)" "$t_tmp/failures.json" | sed 's/^/# /'
# (Generous limits above: a sanitizer build extracts large PDFs slowly.)
is "$(fouille search --db "$t_tmp/db" --json foncier | json 'j["total"] >= 20')" True \
   "and searchable"

# Every hostile file is accounted for.
python3 - "$t_tmp/failures.json" "$t_tmp/db" "$tree/hostile" "$FOUILLE_BIN" >"$t_tmp/hostile.txt" <<'PY'
import json, os, subprocess, sys
fails = {f["path"]: f["reason"] for f in json.load(open(sys.argv[1]))}
indexed, page = set(), 1
while True:  # paths as JSON: a file name may hold a newline
    j = json.loads(subprocess.run([sys.argv[4], "search", "--db", sys.argv[2],
                                   "--json", "--no-group", "--per-page=1000",
                                   "--per-page-max=1000",
                                   "--page=%d" % page, ""],
                                  capture_output=True, check=True).stdout)
    if not j["hits"]:
        break
    indexed.update(h["path"] for h in j["hits"])
    page += 1
for name in sorted(os.listdir(sys.argv[3])):
    p = "hostile/" + name
    if p in fails:
        print("%s\tfailed: %s" % (name.replace("\n", "\\n"), fails[p]))
    elif p in indexed:
        print("%s\tindexed" % name.replace("\n", "\\n"))
    else:
        print("%s\tMISSING" % name.replace("\n", "\\n"))
PY
sed 's/^/# /' "$t_tmp/hostile.txt"
ok $(grep -q MISSING "$t_tmp/hostile.txt"; [ $? -ne 0 ]; echo $?) \
   "every hostile file is indexed or recorded with a reason"
expect() { # expect FILE REASON-REGEX
    like "$(grep "^$1	" "$t_tmp/hostile.txt")" "$2" "$1: $2"
}
expect pdf-encrypted-user-password.pdf 'failed: encrypted'
expect pdf-encrypted-owner-only.pdf 'indexed'
expect docx-zip-bomb-900MB.docx 'failed: limit exceeded'
expect docx-missing-document-xml.docx 'failed: malformed'
expect pdf-header-only.pdf 'failed: malformed'
expect random-bytes-with-pdf-magic.pdf 'failed: (malformed|unsupported)'
expect random-bytes.pdf 'failed: (malformed|unsupported)'
expect random-bytes.docx 'failed: (malformed|unsupported)'
expect random-bytes.html 'failed: unsupported'
expect empty.pdf 'failed: empty file'
expect pdf-20000-pages.pdf 'indexed'
expect pdf-truncated-99pct.pdf 'indexed'
expect html-nested-100k.html 'indexed'
expect markdown-invalid-utf8.md 'indexed'
if [ -e "$tree/hostile/html-single-line-50MB.html" ]; then
    expect html-single-line-50MB.html 'indexed'
    like "$(grep '^nom avec' "$t_tmp/hostile.txt")" 'indexed' "a file name holding a newline is indexed"
fi
is "$(fouille search --db "$t_tmp/db" --json 'Mobilité durable' |
      json '"hostile/markdown-invalid-utf8.md" in [h["path"] for h in j["hits"]]')" True \
   "the valid words of the invalid UTF-8 Markdown are searchable"
plan_end
