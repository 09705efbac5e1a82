#!/bin/sh
# Stale text: a file whose new version cannot be extracted keeps its last
# good text, but every answer says so ("stale": true over HTTP and the
# socket, "stale" in fouille search) and fouille failures gives the
# reason; a file emptied leaves the index (its text is gone); a good new
# version ends both.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
[ -f "$FOUILLE_PLUGIN_DIR/text.so" ] || skip_all "text plugin not built"
http() { python3 "$top_srcdir/tests/http-client.py" "$d_port" "$@"; }

docs="$t_tmp/docs"
mkdir -p "$docs/fiches"
printf 'Fiche grossie\n\nLa version ancienne parle de pommeraie.\n' > "$docs/fiches/grossie.txt"
printf 'Fiche videe\n\nLa version ancienne parle de verger.\n' > "$docs/fiches/videe.txt"

# Files over 1 MiB are not extracted: the simplest version that cannot be.
start_daemon "$docs" "$t_tmp/db" --file-max-mb=1
ok $? "fouilled starts"
wait_idle; ok $? "and indexes the folder"
wait_hits pommeraie 1; ok $? "the first version is searchable"
is "$(fq search --json pommeraie | json 'j["hits"][0].get("stale")')" None \
   "a fresh document is not stale"

# A new version that cannot be extracted.
python3 - "$docs/fiches/grossie.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("Fiche grossie\n\nLa version nouvelle parle de cerisaie.\n")
    f.write("remplissage " * 100000)
PY
i=0
while [ $i -lt 200 ]; do
    s=$(fq search --json pommeraie | json 'j["hits"][0].get("stale")' 2>/dev/null)
    [ "$s" = True ] && break
    sleep 0.05; i=$((i + 1))
done
is "$s" True "socket: the old text is still found, marked stale"
is "$(http get '/search?q=pommeraie' | tail -1 | json 'j["hits"][0].get("stale")')" True \
   "HTTP: marked stale too"
like "$(fq search pommeraie)" 'stale' "fouille search says it is stale"
is "$(fq search --json cerisaie | json 'j["total"]')" 0 "the new version's words are not searchable"
is "$(fq failures --json | json '[x["reason"] for x in j if x["path"] == "fiches/grossie.txt"]')" \
   '["file too large"]' "fouille failures gives the reason"

# An emptied file: nothing of its text is searchable any more.
: > "$docs/fiches/videe.txt"
i=0
while [ $i -lt 200 ]; do
    n=$(fq search --json verger | json 'j["total"]' 2>/dev/null)
    [ "$n" = 0 ] && break
    sleep 0.05; i=$((i + 1))
done
is "$n" 0 "an emptied file leaves the index"
is "$(fq failures --json | json '[x["reason"] for x in j if x["path"] == "fiches/videe.txt"]')" \
   '["empty file"]' "and fouille failures says it is empty"

# A good version again: not stale, not failed.
printf 'Fiche grossie\n\nLa version reparee parle de cerisaie.\n' > "$docs/fiches/grossie.txt"
wait_hits cerisaie 1; ok $? "a good new version is indexed"
is "$(fq search --json cerisaie | json 'j["hits"][0].get("stale")')" None "and is not stale"
is "$(fq search --json pommeraie | json 'j["total"]')" 0 "the old text is gone"
is "$(fq failures --json | json '[x["path"] for x in j]')" '["fiches/videe.txt"]' \
   "only the empty file is listed with the failures"
stop_daemon

plan_end
