#!/bin/sh
# Public and staff views: documents matched by the `private` globs never
# come back through a public door (hits, totals, facets, snippets,
# suggestions and corrections, relaxed results, grouped variants, /doc/,
# /stats, /metrics, the result cache), while the staff listener and the
# Unix socket find them. The setting is applied again on reload and on
# restart without extracting anything; the staff listener asks for its
# password when it has one, and refuses a non-loopback address without.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

# get PORT PATH... [-- HEADER...]: one line per path, "STATUS BODY".
get() {
    python3 - "$@" <<'PY'
import http.client, sys
args = sys.argv[1:]
port, rest = int(args[0]), args[1:]
headers = {}
if "--" in rest:
    i = rest.index("--")
    for h in rest[i + 1:]:
        k, _, v = h.partition(":")
        headers[k.strip()] = v.strip()
    rest = rest[:i]
for path in rest:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    body = r.read().decode("utf-8", "replace").replace("\n", " ")
    print(r.status, body)
    c.close()
PY
}
body() { sed 's/^[0-9]* //'; }
staff_port() {
    sed -n 's/.*staff listener.* on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$d_log" | tail -1
}

docs="$t_tmp/docs"
mkdir -p "$docs/rapports/2018" "$docs/fiches" "$docs/internes/2019"
printf 'Bilan foncier 2018\n\nLe bilan du foncier agricole et des collectivités.\n' \
    > "$docs/rapports/2018/bilan.txt"
printf 'Accès au foncier\n\nLa question foncière des communes.\n' > "$docs/fiches/acces.txt"
printf 'Note du conseil\n\nLe xylokarpe du conseil et la brumagne du foncier.\n' \
    > "$docs/internes/2019/note.txt"
# The same publication, filed twice: a public copy and an internal one.
cp "$docs/rapports/2018/bilan.txt" "$docs/internes/bilan.txt"

conf="$t_tmp/fouilled.conf"
: > "$conf"
start_daemon "$docs" "$t_tmp/db" --config="$conf" --staff-http=127.0.0.1:0 \
    --serve-documents
ok $? "fouilled starts with a staff listener"
wait_idle; ok $? "and indexes the folder"
sp=$(staff_port)
ok $([ -n "$sp" ] && [ "$sp" != "$d_port" ]; echo $?) "the staff listener has a port of its own ($sp)"

# Before anything is private: what the public doors would show.
wait_hits xylokarpe 1; ok $? "the note is indexed"
r=$(get "$d_port" '/search?q=xylokarpe' '/search?q=xylokarpa' | body)
is "$(echo "$r" | head -1 | json 'j["total"]')" 1 "public: found while nothing is private"
is "$(echo "$r" | tail -1 | json 'j.get("suggestion")')" xylokarpe \
   "public: a typo is corrected to its word while nothing is private"

# Private from now on: the note, and the internal copy.
extracted=$(fq status --json | json 'j["extracted_since_start"]')
printf 'private = internes/**\n' > "$conf"
kill -HUP $d_pid
i=0
while [ $i -lt 200 ]; do
    n=$(get "$d_port" '/search?q=xylokarpe' | body | json 'j["total"]' 2>/dev/null)
    [ "$n" = 0 ] && break
    sleep 0.05; i=$((i + 1))
done
is "$n" 0 "after a reload, the note is private: the public search misses it"
is "$(fq status --json | json 'j["extracted_since_start"]')" "$extracted" \
   "without extracting anything again"

# The staff asks first: its answer must not be served to the public
# from the result cache.
r=$(get "$sp" '/search?q=xylokarpe' | body)
is "$(echo "$r" | json '[(h["path"], h.get("private")) for h in j["hits"]]')" \
   '[["internes/2019/note.txt", true]]' "staff listener: the note is found, marked private"
is "$(fq search --json xylokarpe | json 'j["total"]')" 1 "Unix socket: the note is found"

# Every public door, asked about the note's words.
staff_types=$(get "$sp" '/search?q=' | body | json 'sorted(j["facets"]["type"])')
like "$staff_types" internes "the staff's facets list the internal type"
get "$d_port" \
    '/search?q=xylokarpe' '/search?q=brumagne' '/search?q=xylokarpa' \
    '/search?q=brumagn' '/search?q=xylokarp&prefix=1' '/search?q=xylo*' \
    '/search?q=title:conseil' '/search?q=%22xylokarpe%20du%20conseil%22' \
    '/search?q=xylokarpe%20foncier' '/search?q=brumagne%20foncier%20agricole' \
    '/search?q=foncier' '/search?q=foncier&group=0' '/search?q=bilan' \
    '/search?q=&per_page=100' '/search?q=&type=internes' '/search?q=&year=2019' \
    '/search?q=conseil&sort=date' \
    '/doc/internes/2019/note.txt' '/doc/internes%2F2019%2Fnote.txt' \
    '/doc/internes/bilan.txt' '/doc/./internes/2019/note.txt' \
    '/stats' '/metrics' > "$t_tmp/public"
is "$(grep -c '' "$t_tmp/public")" 23 "23 public requests answered"
# What the public typed comes back as typed ("query", "missing", the keys
# of "corrected"): everything else must hold nothing of the private side.
leaks=$(python3 - "$t_tmp/public" <<'PY' | grep -i -E 'xylokarp|brumagn|internes|conseil' | cut -c1-200
import json, sys
for line in open(sys.argv[1]):
    status, _, body = line.partition(" ")
    try:
        j = json.loads(body)
    except ValueError:
        print(line.strip())
        continue
    j.pop("query", None)
    j["corrected"] = list(j.get("corrected", {}).values())
    for h in j.get("hits", []):
        h.pop("missing", None)
    print(status, json.dumps(j, ensure_ascii=False))
PY
)
is "$leaks" "" "no public answer holds a word, path, type or title of the private documents"
is "$(grep -c '^200 ' "$t_tmp/public")" 19 "every search and /stats and /metrics answer 200"
is "$(grep -c '^404 ' "$t_tmp/public")" 4 "/doc/ answers 404 for private documents, as for unknown ones"
fon=$(sed -n 11p "$t_tmp/public" | body)
is "$(echo "$fon" | json 'j["total"]')" 2 "public: foncier counts the public documents only"
is "$(echo "$fon" | json 'j["facets"]')" '{"folder": {"fiches": 1, "rapports": 1, "rapports/2018": 1}, "type": {"fiche": 1, "rapport": 1}, "year": {"2018": 1}}' \
   "public: the facets count the public documents only"
is "$(sed -n 13p "$t_tmp/public" | body | json '[(h["path"], h.get("variants")) for h in j["hits"]]')" \
   '[["rapports/2018/bilan.txt", null]]' "public: a private copy is not offered as a variant"
is "$(sed -n 3p "$t_tmp/public" | body | json '(j.get("suggestion"), j.get("corrected"))')" \
   '(None, None)' "public: a typo of a private word gets no suggestion or correction"
is "$(sed -n 9p "$t_tmp/public" | body | json '(j["total"], sorted((h["path"], h["missing"]) for h in j["hits"]))')" \
   "(2, [('fiches/acces.txt', ['xylokarpe']), ('rapports/2018/bilan.txt', ['xylokarpe'])])" \
   "public: relaxed results are the public documents only"
is "$(sed -n 22p "$t_tmp/public" | body | json '(j["documents"], sorted(j))')" \
   "(2, ['documents', 'documents_by_type', 'reconciled', 'version'])" \
   "public /stats: the public documents' figures only"
is "$(sed -n 23p "$t_tmp/public" | grep -c fouille_documents)" 0 \
   "public /metrics: no document counts"
r=$(get "$sp" '/search?q=bilan' '/doc/internes/2019/note.txt' '/stats' '/metrics')
is "$(echo "$r" | sed -n 1p | body | json 'sorted(sorted([h["path"]] + [v["path"] for v in h.get("variants", [])]) for h in j["hits"])')" \
   '[["internes/bilan.txt", "rapports/2018/bilan.txt"]]' "staff: the report and its internal copy are one publication"
like "$(echo "$r" | sed -n 2p)" '^200 .*xylokarpe' "staff: /doc/ serves the private note"
is "$(echo "$r" | sed -n 3p | body | json 'j["documents"]')" 4 "staff /stats counts every document"
like "$(echo "$r" | sed -n 4p)" 'fouille_documents 4' "staff /metrics counts every document"

# A document created private never feeds the spelling data.
printf 'Nouvelle note\n\nLa zanzibarite du bureau.\n' > "$docs/internes/nouvelle.txt"
wait_hits zanzibarite 1; ok $? "a new private document is indexed (staff view)"
r=$(get "$d_port" '/search?q=zanzibarite' '/search?q=zanzibarit' | body)
is "$(echo "$r" | head -1 | json 'j["total"]')" 0 "public: it is not found"
is "$(echo "$r" | tail -1 | json '(j["total"], j.get("suggestion"))')" "(0, None)" \
   "public: nor suggested"

# The page is the staff's; the widget is served to the website.
codes=$(get "$d_port" / /widget.js | cut -d' ' -f1 | tr '\n' ' ')
is "$codes" "404 200 " "public listener: no staff page, the widget"
is "$(get "$sp" / | cut -d' ' -f1)" 200 "staff listener: the staff page"

# Restart with nothing private: the mark goes, without re-extraction.
stop_daemon
: > "$conf"
printf 's3cret-mot\n' > "$t_tmp/staff.pw"
chmod 600 "$t_tmp/staff.pw"
start_daemon "$docs" "$t_tmp/db" --config="$conf" --staff-http=127.0.0.1:0 \
    --staff-token-file="$t_tmp/staff.pw"
ok $? "fouilled restarts with a staff password"
wait_idle
sp=$(staff_port)
i=0
while [ $i -lt 200 ]; do
    n=$(get "$d_port" '/search?q=xylokarpe' | body | json 'j["total"]' 2>/dev/null)
    [ "$n" = 1 ] && break
    sleep 0.05; i=$((i + 1))
done
is "$n" 1 "after a restart without the setting, the note is public again"
codes=$(get "$sp" '/search?q=xylokarpe' | cut -d' ' -f1)
codes="$codes $(get "$sp" '/search?q=xylokarpe' -- 'Authorization: Bearer wrong' | cut -d' ' -f1)"
codes="$codes $(get "$sp" '/search?q=xylokarpe' -- 'Authorization: Bearer s3cret-mot' | cut -d' ' -f1)"
b64=$(printf 'staff:s3cret-mot' | base64)
codes="$codes $(get "$sp" '/' -- "Authorization: Basic $b64" | cut -d' ' -f1)"
is "$codes" "401 401 200 200" "staff password: refused without or wrong, accepted as Bearer and Basic"
stop_daemon

# A staff listener open to the network needs a password.
out=$("$FOUILLE_BUILDDIR/src/fouilled" --docs "$docs" --db "$t_tmp/db" \
    --socket "$t_tmp/other.sock" --http= --staff-http=0.0.0.0:0 \
    --plugin-dir="$FOUILLE_PLUGIN_DIR" \
    --extract-worker="$FOUILLE_BUILDDIR/src/fouille-extract" 2>&1)
rc=$?
ok $([ $rc -ne 0 ]; echo $?) "a non-loopback staff_http without a password is refused"
like "$out" 'staff_token_file' "with a message naming staff_token_file"

plan_end
