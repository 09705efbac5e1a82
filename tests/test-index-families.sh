#!/bin/sh
# The French analysis against Hunspell's noun and adjective families over
# the whole vocabulary of the shared corpus (its text files, its HTML
# without markup, its PDFs through pdftotext, its DOCX and ODT documents'
# XML); over the program's own sample text without the corpus.
. "$top_builddir/tests/env.sh"

prog="$top_builddir/tests/test-index-families"
docs="$FOUILLE_SHARED/corpus/docs"
if [ ! -d "$docs" ] || ! command -v python3 >/dev/null; then
    exec "$prog" --min=0.97
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fouille-families.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 - "$docs" "$tmp" "${PDFTOTEXT:-pdftotext}" <<'PY'
import html, os, re, subprocess, sys, zipfile
docs, out, pdftotext = sys.argv[1:4]
n = 0
for d, _, files in os.walk(docs):
    for f in files:
        p = os.path.join(d, f)
        ext = f.rsplit(".", 1)[-1].lower()
        try:
            if ext in ("md", "txt"):
                text = open(p, encoding="utf-8", errors="replace").read()
            elif ext in ("html", "htm"):
                text = html.unescape(re.sub(r"<[^>]*>", " ", open(p, encoding="utf-8", errors="replace").read()))
            elif ext in ("docx", "odt"):
                z = zipfile.ZipFile(p)
                part = "word/document.xml" if ext == "docx" else "content.xml"
                text = html.unescape(re.sub(r"<[^>]*>", " ", z.read(part).decode("utf-8", "replace")))
            elif ext == "pdf":
                text = subprocess.run([pdftotext, "-q", p, "-"], capture_output=True, timeout=60).stdout.decode("utf-8", "replace")
            else:
                continue
        except Exception:
            continue
        n += 1
        with open(os.path.join(out, "%05d.txt" % n), "w", encoding="utf-8") as o:
            o.write(text)
PY
# Families the light stemmer leaves apart by design are few: the share
# is recorded here and the test fails if it drops.
exec "$prog" --min=0.995 "$tmp"/*.txt
