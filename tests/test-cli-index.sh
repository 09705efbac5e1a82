#!/bin/sh
# fouille index / search / failures on a small generated folder: summary
# counts, incremental runs (unchanged, modified, deleted), French search,
# failures with reasons, and clear errors for bad arguments.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed to read JSON"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"

docs="$t_tmp/docs"; db="$t_tmp/db"
mkdir -p "$docs/fiches/foncier" "$docs/rapports/2017" "$docs/.cache"
printf 'Accès au foncier agricole\n\nLa question foncière est centrale pour les collectivités.\n' \
    > "$docs/fiches/foncier/acces.txt"
printf 'Rapport annuel\n\nLes fonciers solidaires et la mobilité durable.\n' \
    > "$docs/rapports/2017/rapport.txt"
printf 'Une note sans rapport avec la terre: la fonction publique.\n' > "$docs/note.txt"
printf 'caché\n' > "$docs/.cache/secret.txt"
: > "$docs/vide.txt"
printf 'brouillon\n' > "$docs/fiches/brouillon.txt~"

out=$(fouille index "$docs" --db "$db" --json 2>"$t_tmp/err")
is $? 3 "fouille index exits 3 when a file could not be indexed"
is "$(echo "$out" | json 'j["seen"]')" 4 "4 files seen (hidden and editor files ignored)"
is "$(echo "$out" | json 'j["indexed"]')" 3 "3 documents indexed"
is "$(echo "$out" | json 'j["failed"]')" 1 "1 failure (the empty file)"
is "$(echo "$out" | json 'j["failed_by_reason"]')" '{"empty file": 1}' "the failure says why"
is "$(sed 's/^[0-9TZ:-]* //' "$t_tmp/err")" \
   "fouille[$(sed -n 's/.*fouille\[\([0-9]*\)\].*/\1/p' "$t_tmp/err")]: warning: vide.txt: not indexed: empty file" \
   "stderr: the failure, at warning, with time, program and pid; no progress line on a pipe"
like "$(cat "$t_tmp/err")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z ' "log lines start with the UTC time"

s=$(fouille search --db "$db" --json foncier)
ok $? "fouille search exits 0"
is "$(echo "$s" | json 'sorted(h["path"] for h in j["hits"])')" \
   '["fiches/foncier/acces.txt", "rapports/2017/rapport.txt"]' \
   "foncier finds foncière and fonciers, not fonction"
is "$(echo "$s" | json 'sorted(j.keys())')" \
   '["facets", "hits", "page", "per_page", "query", "took_ms", "total"]' \
   "the JSON document has the documented keys"
like "$(echo "$s" | json 'j["hits"][0]["snippet"]')" '<mark>' "snippets mark the match"
is "$(echo "$s" | json 'j["facets"]["type"]')" '{"fiche": 1, "rapport": 1}' "type facets from the folders"
is "$(echo "$s" | json 'j["facets"]["year"]')" '{"2017": 1}' "year facet from the path"
is "$(fouille search --db "$db" --json --type fiche foncier | json 'len(j["hits"])')" 1 "type filter"

readable=$(fouille search --db "$db" foncier)
like "$readable" '^2 results for "foncier"' "readable output starts with the count"
like "$readable" 'fiches/foncier/acces.txt' "readable output lists the path"

out=$(fouille index "$docs" --db "$db" --json)
is $? 0 "a run where nothing failed exits 0"
is "$(echo "$out" | json '(j["unchanged"], j["indexed"], j["failed"])')" "(4, 0, 0)" \
   "a second run extracts nothing"

sleep 0.01
printf 'Accès à la terre\n\nDésormais il est question de mobilités.\n' > "$docs/fiches/foncier/acces.txt"
rm "$docs/note.txt"
out=$(fouille index "$docs" --db "$db" --json)
is "$(echo "$out" | json '(j["indexed"], j["deleted"], j["unchanged"])')" "(1, 1, 2)" \
   "a modified file is re-indexed and a deleted one removed"
is "$(fouille search --db "$db" --json foncier | json '[h["path"] for h in j["hits"]]')" \
   '["rapports/2017/rapport.txt"]' "the old words of the modified file are gone"
is "$(fouille search --db "$db" --json fonction | json 'j["total"]')" 0 \
   "the deleted file is not found"

f=$(fouille failures --db "$db" --json)
is "$(echo "$f" | json '[(x["path"], x["reason"]) for x in j]')" '[["vide.txt", "empty file"]]' \
   "fouille failures lists the empty file with its reason"

fouille index "$t_tmp/nowhere" --db "$db" 2>"$t_tmp/err"; rc=$?
ok $((rc == 0)) "a missing folder fails"
like "$(cat "$t_tmp/err")" 'nowhere.*No such file' "and says which folder and why"
fouille index "$docs" 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "no --db is a usage error"
fouille search --db "$t_tmp/nodb" foncier 2>"$t_tmp/err"; rc=$?
ok $((rc == 0)) "searching a missing index fails"
like "$(cat "$t_tmp/err")" 'nodb' "and names the index"
fouille search --db "$db" --json '"unclosed AND (' >/dev/null 2>"$t_tmp/err"; rc=$?
ok $((rc > 2)) "a malformed query does not crash (exit $rc)"
fouille search --db "$db" --per-page 100000 foncier 2>"$t_tmp/err"; rc=$?
is "$rc" 2 "per-page above the limit is refused"
like "$(cat "$t_tmp/err")" 'per_page' "with a message naming the parameter"
fouille frobnicate 2>/dev/null; is $? 2 "an unknown command is a usage error"

# A run that commits along the way compacts the index at the end.
db2="$t_tmp/db2"
fouille index "$docs" --db "$db2" --batch-size=1 >/dev/null 2>"$t_tmp/err"
is $? 3 "an index written one commit per document (vide.txt fails: 3)"
is "$(ls -d "$db2"* | wc -l)" 1 "is compacted in place, nothing left beside it"
hits() { fouille search --db "$1" --json "$2" | json '[(h["path"], h["snippet"]) for h in j["hits"]]'; }
is "$(hits "$db2" foncier)" "$(hits "$db" foncier)" \
   "and answers as the index written in one commit"
like "$(fouille search --db "$db2" --json foncier | json 'j["hits"][0]["snippet"]')" \
   '<mark>' "with its snippets"

plan_end
