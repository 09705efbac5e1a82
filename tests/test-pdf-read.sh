#!/bin/sh
# test-pdf-read.sh -- how the PDF plugin reads its file: a file of up to
# 32 MiB in one go (poppler alone reads a descriptor 256 bytes per system
# call), a larger one through the descriptor, with the same words either
# way.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"
so="$FOUILLE_PLUGIN_DIR/pdf.so"
[ -f "$so" ] || skip_all "pdf plugin not built"
command -v python3 >/dev/null || skip_all "python3 is needed to write the fixtures"
run() { "$FOUILLE_BUILDDIR/tests/plugin-run" "$@"; }

# mkpdf OUT PADDING-BYTES WHERE: one page saying "Bonjour lecture entière",
# with PADDING-BYTES more in its content stream (a comment, which text
# extraction reads through: WHERE=content) or in an object nothing uses
# (WHERE=unused), and a correct cross-reference table (so that poppler has
# no reason to scan the file).
mkpdf() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys
out, pad, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = b"BT /F1 24 Tf 72 720 Td (Bonjour lecture enti\\350re) Tj ET"
if where == "content":
    text += b"\n%" + b"x" * pad
    pad = 0
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
    b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
    b"/Encoding /WinAnsiEncoding >>",
    b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
    b"<< /Length %d >>\nstream\n" % pad + b"\0" * pad + b"\nendstream",
]
with open(out, "wb") as f:
    f.write(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(f.tell())
        f.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = f.tell()
    f.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        f.write(b"%010d 00000 n \n" % o)
    f.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref))
PY
}

expect='{"status": "OK", "pages": 1, "words": ["Bonjour", "lecture", "entière"]}'
mkpdf "$t_tmp/small.pdf" 2000000 content
mkpdf "$t_tmp/large.pdf" $((33 * 1024 * 1024)) unused
run --name "a 2 MB PDF" --expect "$expect" "$so" "$t_tmp/small.pdf" >"$t_tmp/small.tap"
ok $? "a 2 MB PDF, read into memory, gives its words"
# Read into memory, it would take 33 MiB more than the plugin's usual 25
# (the bound is not checked under AddressSanitizer: see plugin-run.c).
large='{"status": "OK", "pages": 1, "words": ["Bonjour"], "max_rss_mb": 45}'
run --name "a 33 MiB PDF" --expect "$large" "$so" "$t_tmp/large.pdf" >"$t_tmp/large.tap"
ok $? "a 33 MiB PDF is read through its descriptor, not into memory, and gives its words"
for f in small large; do grep '^not ok' "$t_tmp/$f.tap" | while read -r l; do diag "$l"; done; done

# The system calls that read the file (strace, when it is here).
reads() { # reads FILE: pread64 and read calls of one extraction
    strace -f -c -e trace=pread64,read -o "$t_tmp/strace" \
        "$FOUILLE_BUILDDIR/tests/plugin-run" --text-bytes 0 "$so" "$1" >/dev/null 2>&1
    awk '$NF == "pread64" || $NF == "read" { n += $4 } END { print n + 0 }' "$t_tmp/strace"
}
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
    n=$(reads "$t_tmp/small.pdf")
    ok $([ "$n" -lt 200 ]; echo $?) \
       "the 2 MB PDF is read in a few system calls, not 256 bytes at a time ($n reads, all of the host's included)"
else
    skip "the 2 MB PDF is read in a few system calls" "strace cannot run here"
fi
plan_end
