#!/usr/bin/env python3
"""Write a PostScript file of known French text, one page per argument
group, for Ghostscript to render into a scanned-looking fixture.

    make-scan.py OUT.ps PAGE-TEXT [PAGE-TEXT...]
    make-scan.py OUT.ps --paragraphs FILE N [N...]

The second form takes the pages from lines N (1-based) of FILE.

Each PAGE-TEXT is a paragraph; it is set in 12 pt Times on an A4 page,
wrapped at 80 characters. Accented letters are written in ISO Latin-1
(the font is re-encoded), so that the text can be French.
"""
import sys
import textwrap

PROLOGUE = r"""%!PS-Adobe-3.0
%%DocumentMedia: a4 595 842 0 () ()
/latin1 { findfont dup length dict begin
  { 1 index /FID ne { def } { pop pop } ifelse } forall
  /Encoding ISOLatin1Encoding def currentdict end } def
/Times-Latin1 /Times-Roman latin1 definefont pop
"""


def ps_string(line):
    out = []
    for ch in line:
        code = ord(ch)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= code < 127:
            out.append(ch)
        elif code < 256:
            out.append("\\%03o" % code)
        elif ch in "\u2019\u2018":
            out.append("'")
        else:
            out.append("?")
    return "(" + "".join(out) + ")"


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: make-scan.py OUT.ps PAGE-TEXT...")
    pages = sys.argv[2:]
    if pages[0] == "--paragraphs":
        lines = open(pages[1], encoding="utf-8").read().splitlines()
        pages = [lines[int(n) - 1] for n in pages[2:]]
    with open(sys.argv[1], "w", encoding="ascii") as f:
        f.write(PROLOGUE)
        for n, text in enumerate(pages, 1):
            f.write("%%%%Page: %d %d\n" % (n, n))
            f.write("/Times-Latin1 findfont 12 scalefont setfont\n")
            y = 780
            for line in textwrap.wrap(text, 80):
                f.write("60 %d moveto %s show\n" % (y, ps_string(line)))
                y -= 18
            f.write("showpage\n")
        f.write("%%EOF\n")


if __name__ == "__main__":
    main()
