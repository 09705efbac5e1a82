#!/usr/bin/env python3
"""Word accuracy of recognised text against the text that was rendered.

    word-accuracy.py REFERENCE-FILE RECOGNISED-FILE

Prints the share (0 to 1) of the reference's words found, in order, in the
recognised text (longest common subsequence of words, as difflib finds it),
comparing lower-case words with their apostrophes and punctuation removed.
"""
import difflib
import re
import sys


def words(text):
    text = text.replace("\u2019", "'").lower()
    return [w for w in re.split(r"[^\w]+", text) if w]


def main():
    ref = words(open(sys.argv[1], encoding="utf-8").read())
    got = words(open(sys.argv[2], encoding="utf-8", errors="replace").read())
    sm = difflib.SequenceMatcher(None, ref, got, autojunk=False)
    same = sum(b.size for b in sm.get_matching_blocks())
    print("%.4f" % (same / len(ref) if ref else 0.0))


if __name__ == "__main__":
    main()
