#!/bin/sh
# OCR: scans made here from known French text (tests/ocr/texte.txt,
# rendered by Ghostscript) are recognised with at least 95% word accuracy;
# a PDF mixing text and image pages, a PNG and a two-page TIFF get their
# words on the right pages, in sandboxed workers; recognised text is kept by
# content (a renamed or touched scan is not recognised again); the OCR
# limits fail or cut a scan with the reason; with OCR off a scan is listed
# as "no text"; and a new text document is indexed at once while the
# daemon's OCR lane is busy.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
command -v gs >/dev/null || skip_all "Ghostscript (gs) is needed to make scans"
[ -f "$FOUILLE_PLUGIN_DIR/ocr.so" ] || skip_all "ocr plugin not built"
[ -f "$FOUILLE_PLUGIN_DIR/pdf.so" ] || skip_all "pdf plugin not built"

src="$top_srcdir/tests/ocr"
run_plugin() { "$FOUILLE_BUILDDIR/tests/plugin-run" "$@"; }

# ---- fixtures: paragraph N of the text, as pages ----------------------------
mkps() { # mkps OUT.ps PARAGRAPH-NUMBER...
    out=$1; shift
    python3 "$src/make-scan.py" "$out" --paragraphs "$src/texte.txt" "$@"
}
gsrun() { gs -q -dNOPAUSE -dBATCH -dSAFER "$@"; }
f="$t_tmp/fix"
mkdir -p "$f"
mkps "$f/p123.ps" 1 2 3
mkps "$f/p1.ps" 1
mkps "$f/p2.ps" 2
mkps "$f/p3.ps" 3
mkps "$f/p31.ps" 3 1
gsrun -sDEVICE=pdfimage8 -r300 -o "$f/scan.pdf" "$f/p123.ps" &&
gsrun -sDEVICE=pnggray -r300 -o "$f/scan.png" "$f/p1.ps" &&
gsrun -sDEVICE=tiffg4 -r300 -o "$f/scan.tif" "$f/p31.ps" &&
gsrun -sDEVICE=pdfwrite -o "$f/text2.pdf" "$f/p2.ps" &&
gsrun -sDEVICE=pdfimage8 -r300 -o "$f/image3.pdf" "$f/p3.ps" &&
gsrun -sDEVICE=pdfwrite -o "$f/mixed.pdf" "$f/text2.pdf" "$f/image3.pdf"
ok $? "Ghostscript renders the fixtures"

# ---- the plugin alone: first pass, then recognition ------------------------
run_plugin pdf "$f/scan.pdf" > "$t_tmp/first.json"
is "$(json 'j["ocr_needed"]' < "$t_tmp/first.json")" "[1, 2, 3]" \
   "first pass: the three image pages are marked for OCR, nothing recognised"
run_plugin --ocr-languages fra --ocr-pages 100 --text-out "$t_tmp/scan.txt" \
    pdf "$f/scan.pdf" > "$t_tmp/ocr.json"
is "$(json '(j["status"], j["pages"], j["ocr_text_calls"])' < "$t_tmp/ocr.json")" \
   "('OK', 3, 3)" "OCR pass: three pages recognised"
acc=$(python3 "$src/word-accuracy.py" "$src/texte.txt" "$t_tmp/scan.txt")
ok $(python3 -c "import sys; sys.exit(0 if $acc >= 0.95 else 1)"; echo $?) \
   "word accuracy at the default 300 dpi and languages is at least 95% ($acc)"
run_plugin --ocr-languages fra --ocr-pages 1 pdf "$f/scan.pdf" > "$t_tmp/one.json"
is "$(json '(j["status"], j["ocr_text_calls"])' < "$t_tmp/one.json")" \
   "('STOPPED', 1)" "the OCR page budget stops the plugin after one page"

run_plugin pdf "$f/mixed.pdf" > "$t_tmp/mixed1.json"
is "$(json 'j["ocr_needed"]' < "$t_tmp/mixed1.json")" "[2]" \
   "mixed PDF, first pass: its image page is marked for OCR"
run_plugin --ocr-languages fra --ocr-pages 100 --ocr-only 2 \
    --text-out "$t_tmp/only.txt" pdf "$f/mixed.pdf" > "$t_tmp/only.json"
is "$(json '(j["status"], j["checks"]["text_calls"], j["ocr_text_calls"])' < "$t_tmp/only.json")" \
   "('OK', 1, 1)" "OCR pass of the listed page only: no text layer read again"
grep -q friches "$t_tmp/only.txt" && ! grep -q délibère "$t_tmp/only.txt"
ok $? "the listed page's words are there, the text page's are not"

# ---- sandboxed workers: PDF, PNG, TIFF, mixed PDF --------------------------
docs="$t_tmp/docs"
mkdir -p "$docs"
cp "$f/scan.pdf" "$f/scan.png" "$f/scan.tif" "$f/mixed.pdf" "$docs/"
printf 'Une note ordinaire sur le jardin partagé.\n' > "$docs/note.txt"
idx() { fouille index "$@" --json --workers=2 2>>"$t_tmp/err"; }
idx "$docs" --db "$t_tmp/db" > "$t_tmp/run1.json"
ok $? "fouille index with OCR, sandboxed"
is "$(json '(j["indexed"], j["failed"], j["no_text"])' < "$t_tmp/run1.json")" \
   "(5, 0, 0)" "every document indexed, none without text"
is "$(json '(j["ocr"]["documents"], j["ocr"]["pages"], j["ocr"]["cached"])' < "$t_tmp/run1.json")" \
   "(4, 7, 0)" "four documents, seven pages recognised"
# Each OCR pass reads only the pages its first pass listed (the mixed
# PDF's text page is not read again): none falls back to a whole extraction.
is "$(json 'j["ocr"]["page_passes"]' < "$t_tmp/run1.json")" "4" \
   "the four OCR passes are asked for their listed pages only, not the whole document"

hits() { # hits QUERY: "path:page:ocr" of each hit, sorted
    "$FOUILLE_BIN" search --db "$t_tmp/db" --json --no-group --per-page 50 "$1" |
        json '" ".join(sorted("%s:%s:%s" % (h["path"], h.get("page"), h.get("ocr", False)) for h in j["hits"]))'
}
is "$(hits friches)" "mixed.pdf:2:True scan.pdf:3:True scan.tif:1:True" \
   "a word of the third paragraph: on its page in each scan"
is "$(hits préemption)" "scan.pdf:1:True scan.png:1:True scan.tif:2:True" \
   "a word of the first paragraph: PDF page 1, PNG, TIFF page 2"
is "$(hits délibère)" "mixed.pdf:1:False scan.pdf:2:True" \
   "a word of the mixed PDF's text page: on page 1, not marked as OCR"
is "$(hits jardin)" "note.txt:None:False" "a text document has no ocr flag"

# ---- done once: rename and touch do not recognise again --------------------
mv "$docs/scan.pdf" "$docs/renamed.pdf"
touch "$docs/scan.png"
idx "$docs" --db "$t_tmp/db" > "$t_tmp/run2.json"
is "$(json '(j["indexed"], j["ocr"]["pages"], j["ocr"]["cached"])' < "$t_tmp/run2.json")" \
   "(2, 0, 2)" "renamed PDF and touched PNG: text from the cache, no page recognised"
is "$(hits friches)" "mixed.pdf:2:True renamed.pdf:3:True scan.tif:1:True" \
   "the renamed scan is found under its new name, on its page"

# ---- the cache in-process, and its bound ------------------------------------
ip="$t_tmp/inproc"
mkdir -p "$ip"
cp "$f/scan.png" "$ip/"
idx "$ip" --db "$t_tmp/db-ip" --in-process > "$t_tmp/run-ip1.json"
is "$(json '(j["indexed"], j["ocr"]["pages"], j["ocr"]["cached"])' < "$t_tmp/run-ip1.json")" \
   "(1, 1, 0)" "--in-process: the image is recognised"
mv "$ip/scan.png" "$ip/renamed.png"
idx "$ip" --db "$t_tmp/db-ip" --in-process > "$t_tmp/run-ip2.json"
is "$(json '(j["indexed"], j["ocr"]["pages"], j["ocr"]["cached"])' < "$t_tmp/run-ip2.json")" \
   "(1, 0, 1)" "--in-process: the renamed image comes from the cache"
# Eight old entries of 1000 bytes, the oldest first, in an 8 KiB cache:
# the new entry pushes it over, the least recently used go.
bd="$t_tmp/bound"
mkdir -p "$bd" "$t_tmp/db-bound.ocr-cache"
cp "$f/scan.png" "$bd/"
for i in 1 2 3 4 5 6 7 8; do
    name=$(printf '%064d-fra+eng-300-40' $i)
    head -c 1000 /dev/zero > "$t_tmp/db-bound.ocr-cache/$name"
    touch -d "2020-01-0$i" "$t_tmp/db-bound.ocr-cache/$name"
done
idx "$bd" --db "$t_tmp/db-bound" --ocr-cache-kb=8 > "$t_tmp/run-bound.json"
is "$(json 'j["ocr"]["pages"]' < "$t_tmp/run-bound.json")" 1 \
   "ocr_cache_kb=8: the image is recognised"
cache_files() { ls "$t_tmp/db-bound.ocr-cache"; }
ok $(! cache_files | grep -q "^0*1-"; echo $?) \
   "the least recently used entry is evicted"
ok $(cache_files | grep -q "^0*8-"; echo $?) "the most recent old entry is kept"
ok $(cache_files | grep -qv "^00000"; echo $?) "the new entry is kept"
total=$(cat "$t_tmp/db-bound.ocr-cache"/* | wc -c)
ok $([ "$total" -le 8192 ]; echo $?) "the cache holds at most 8 KiB ($total bytes)"

# ---- limits -----------------------------------------------------------------
one="$t_tmp/one"
mkdir -p "$one"
cp "$f/scan.pdf" "$one/"
idx "$one" --db "$t_tmp/db-pages" --ocr-max-pages=1 > "$t_tmp/run3.json"
is "$(json '(j["indexed"], j["truncated"])' < "$t_tmp/run3.json")" "(1, 1)" \
   "ocr_max_pages=1: the scan is indexed with its first page, flagged cut"
# Rendered at 600 dpi, the first page alone takes several seconds.
idx "$one" --db "$t_tmp/db-time" --ocr-timeout-ms=1000 --ocr-dpi=600 \
    > "$t_tmp/run4.json"
like "$(json 'j["failed_by_reason"]' < "$t_tmp/run4.json")" \
     '"limit exceeded: OCR: more than [0-9]+ pages or 1 s": 1' \
     "ocr_timeout_ms=1000: the scan fails with the OCR limit as its reason"

# ---- OCR off: listed with the failures as "no text" -------------------------
off="$t_tmp/off"
mkdir -p "$off"
cp "$f/scan.png" "$off/"
idx "$off" --db "$t_tmp/db-off" --ocr=no > "$t_tmp/run5.json"
is "$(json '(j["indexed"], j["no_text"])' < "$t_tmp/run5.json")" "(1, 1)" \
   "ocr=no: the image is indexed by its name only"
like "$("$FOUILLE_BIN" failures --db "$t_tmp/db-off" 2>&1)" \
     'scan\.png.*no text: scanned, OCR off' \
     "and listed by fouille failures as having no text"

# ---- the daemon: a new document does not wait behind OCR --------------------
# The usual time first (nothing being recognised), then the same with a
# hundred pages in the OCR lane (four scans of 25 pages, rendered at 100
# dpi to keep Ghostscript quick: the OCR pass renders them at 300).
mkps "$f/p25.ps" 1 2 3 1 2 3 1 2 3 1 2 3 1 2 3 1 2 3 1 2 3 1 2 3 1
gsrun -sDEVICE=pdfimage8 -r100 -o "$f/scan25.pdf" "$f/p25.ps"
ok $? "Ghostscript renders a 25-page scan"
busy="$t_tmp/busy"
mkdir -p "$busy"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# searchable WORD: wait until a search over HTTP finds WORD (20 s at most).
searchable() {
    i=0
    while [ $i -lt 1000 ]; do
        curl -s "http://127.0.0.1:$d_port/search?q=$1" | grep -q '"total":1' &&
            return 0
        sleep 0.02; i=$((i + 1))
    done
    return 1
}
start_daemon "$busy" "$t_tmp/db-busy" --workers=2
ok $? "fouilled starts"
wait_idle 30
start=$(ms)
printf 'Le verger communal du quartier Aubepine.\n' > "$busy/verger.txt"
searchable Aubepine
usual=$(( $(ms) - start ))
for i in 1 2 3 4; do cp "$f/scan25.pdf" "$busy/cent$i.pdf"; done
i=0
while [ $i -lt 600 ]; do
    p=$(fq status --json 2>/dev/null | json 'j["ocr"]["pending"]' 2>/dev/null)
    [ "${p:-0}" -ge 4 ] && break
    sleep 0.05; i=$((i + 1))
done
ok $([ "${p:-0}" -ge 4 ]; echo $?) "a hundred pages wait in the OCR lane ($p scans)"
start=$(ms)
printf 'Le compost collectif du quartier Zephyrin.\n' > "$busy/compost.txt"
searchable Zephyrin
found=$?
took=$(( $(ms) - start ))
# The OCR worker runs at a lower priority beside the first workers: the
# usual time, give or take a loaded machine's second.
ok $([ $found -eq 0 ] && [ $took -le $((usual + 1000)) ]; echo $?) \
   "a new text document is searchable within the usual time while OCR runs (${took} ms, usual ${usual} ms)"
p=$(fq status --json | json 'j["ocr"]["pending"]')
ok $([ "$p" -ge 3 ]; echo $?) "OCR was still pending then ($p scans)"
like "$(fq status)" "OCR: [0-9]+ pending, [0-9]+ done, 0 failed" \
     "fouille status shows the OCR lane"
is "$(curl -s "http://127.0.0.1:$d_port/stats" | json 'sorted(j["ocr"])')" \
   '["cached", "done", "enabled", "failed", "page_passes", "pages", "pages_per_s", "pending"]' \
   "/stats has the OCR counters"
stop_daemon

plan_end
