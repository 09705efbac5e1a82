#!/usr/bin/env python3
"""make-fixtures.py -- regenerate the binary golden fixtures of tests/data/.

    python3 tests/data/make-fixtures.py [tests/data]

The fixtures are committed (make check needs no Python); this script says
exactly how each one was made and rewrites them byte for byte (fixed seeds,
fixed dates, fixed zip timestamps). Only the Python standard library is
used. Each fixture is a few KB at most; the expectations live beside them in
<name>.expected.json, written by hand.
"""
import hashlib
import io
import os
import random
import sys
import zipfile
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


def write(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- text

def text_fixtures():
    # Windows-1252 with CRLF line ends: é à ç (Latin-1 range) and € œ ’ …
    # (the 0x80-0x9F range that ISO-8859-1 lacks).
    s = ("Fiche pratique : l’économie sociale et solidaire\r\n"
         "Coût estimé : 1 200 € par an ; cœur du projet : l’œuvre collective…\r\n"
         "Déjà ça : à bientôt.\r\n")
    write("text/cp1252.txt", s.encode("cp1252"))
    # UTF-8 with a byte order mark, and a form feed the plugin must not pass on.
    s = "Mobilité durable\nCovoiturage et autopartage\fpage suivante\n"
    write("text/utf8-bom.txt", b"\xef\xbb\xbf" + s.encode("utf-8"))
    # UTF-16LE with a BOM (what some Windows editors save as "Unicode").
    s = "Économie circulaire : réemploi\r\n"
    write("text/utf16le.txt", b"\xff\xfe" + s.encode("utf-16-le"))
    # UTF-16 without a byte order mark, with letters past Latin-1 (œ, ’).
    s = "Le cœur du projet : l’économie circulaire\r\nRéemploi et réparation\r\n"
    write("text/utf16le-nobom.txt", s.encode("utf-16-le"))
    write("text/utf16be-nobom.txt", s.encode("utf-16-be"))
    # Words separated by NUL bytes, as programs write lists (find -print0).
    # Random bytes named .txt: binary data, not text.
    write("text/random-bytes.txt", random.Random(7).randbytes(4096))
    # A log with colour escapes and a DOS end-of-file mark: still text.
    write("text/ansi-log.txt",
          b"\x1b[32mINFO\x1b[0m dossier foncier re\xc3\xa7u\n" * 20 + b"\x1a")
    write("text/nul-separated.txt",
          b"\0".join(w.encode() for w in ["foncier", "solidaire", "bail", "emphyteotique"]) + b"\0")


# ---------------------------------------------------------------- PDF

def pdf_string_utf16(s):
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


def rc4(key, data):
    S = list(range(256))
    j = 0
    for i in range(256):
        j = (j + S[i] + key[i % len(key)]) % 256
        S[i], S[j] = S[j], S[i]
    i = j = 0
    out = bytearray()
    for b in data:
        i = (i + 1) % 256
        j = (j + S[i]) % 256
        S[i], S[j] = S[j], S[i]
        out.append(b ^ S[(S[i] + S[j]) % 256])
    return bytes(out)


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


class Pdf:
    """A minimal PDF writer: numbered objects, a classic xref table."""

    def __init__(self):
        self.objs = []

    def add(self, body):
        self.objs.append(body)
        return len(self.objs)

    def stream(self, data, extra=b""):
        return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    def build(self, root, info=None, encrypt=None, file_id=None):
        b = io.BytesIO()
        b.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offs = []
        for k, o in enumerate(self.objs, 1):
            offs.append(b.tell())
            b.write(b"%d 0 obj\n" % k + o + b"\nendobj\n")
        x = b.tell()
        b.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objs) + 1))
        for o in offs:
            b.write(b"%010d 00000 n \n" % o)
        trailer = b"/Size %d /Root %d 0 R" % (len(self.objs) + 1, root)
        if info:
            trailer += b" /Info %d 0 R" % info
        if encrypt:
            trailer += b" /Encrypt %d 0 R" % encrypt
        if file_id:
            trailer += b" /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
        b.write(b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % x)
        return b.getvalue()


def pdf_text_page(pdf, pages_id, font, lines):
    ops = [b"BT /F1 14 Tf 72 760 Td 18 TL"]
    for line in lines:
        esc = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + esc + b") Tj T*")
    ops.append(b"ET")
    content = pdf.add(pdf.stream(b"\n".join(ops)))
    return pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                   b"/Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
                   % (pages_id, content, font))


def pdf_fixtures():
    # Two pages of text, Info metadata in UTF-16 strings.
    p = Pdf()
    cat = p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pages = p.add(None)
    font = p.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    p1 = pdf_text_page(p, pages, font, ["Première page : accès au foncier",
                                        "des collectivités territoriales."])
    p2 = pdf_text_page(p, pages, font, ["Deuxième page : mobilité durable",
                                        "et économie circulaire."])
    p.objs[pages - 1] = b"<< /Type /Pages /Count 2 /Kids [%d 0 R %d 0 R] >>" % (p1, p2)
    info = p.add(b"<< /Title " + pdf_string_utf16("Rapport d’essai : foncier solidaire") +
                 b" /Author " + pdf_string_utf16("Équipe de test") +
                 b" /Subject (Deux pages pour les tests) /Keywords (foncier, mobilit\xe9)"
                 b" /CreationDate (D:20170315103000+01'00') /Producer (make-fixtures.py) >>")
    two = p.build(cat, info)
    write("pdf/two-pages.pdf", two)
    # The same file cut just before its cross-reference table: no xref, no
    # trailer, every object intact.
    write("pdf/cut-before-xref.pdf", two[:two.rindex(b"xref")])
    # Cut inside the first page's content: nothing to salvage.
    write("pdf/cut-early.pdf", two[:two.index(b"Premi")])

    # One page with a drawing and no text: a scan has no text layer either.
    p = Pdf()
    cat = p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pages = p.add(None)
    content = p.add(p.stream(b"0.2 0.4 0.6 rg 72 400 450 300 re f"))
    page = p.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % content)
    p.objs[pages - 1] = b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % page
    info = p.add(b"<< /Title (Fiche num\xe9ris\xe9e) /CreationDate (D:20161004) >>")
    write("pdf/no-text.pdf", p.build(cat, info))

    # RC4 40-bit (standard security handler, revision 2) with a user
    # password: opening without it must fail as encrypted.
    file_id = hashlib.md5(b"fouille-encrypted-fixture").digest()
    user, owner = b"secret", b"proprietaire"
    P = -44
    okey = hashlib.md5((owner + PAD)[:32]).digest()[:5]
    O = rc4(okey, (user + PAD)[:32])
    key = hashlib.md5((user + PAD)[:32] + O + P.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    U = rc4(key, PAD)

    def objkey(num):
        return hashlib.md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]

    p = Pdf()
    cat = p.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pages = p.add(None)
    font = p.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    text = b"BT /F1 14 Tf 72 760 Td (Texte confidentiel) Tj ET"
    content_num = len(p.objs) + 1
    content = p.add(p.stream(rc4(objkey(content_num), text)))
    page = p.add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                 b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content, font))
    p.objs[pages - 1] = b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % page
    enc = p.add(b"<< /Filter /Standard /V 1 /R 2 /O <" + O.hex().encode() + b"> /U <" +
                U.hex().encode() + b"> /P %d >>" % P)
    write("pdf/encrypted.pdf", p.build(cat, None, enc, file_id))

    # A PDF header followed by noise.
    r = random.Random(20170315)
    write("pdf/garbage.pdf", b"%PDF-1.5\n" + bytes(r.getrandbits(8) for _ in range(2048)))


# ---------------------------------------------------------------- HTML

def html_fixtures():
    s = """<!DOCTYPE html>
<html lang="fr-FR"><head>
<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">
<title>Accès au foncier : les élus s'engagent</title>
<meta name="description" content="Compte rendu d'une réunion à Rennes">
<meta name="keywords" content="foncier, agriculture">
<meta name="author" content="Gwenaëlle Tanguy">
<meta name="dcterms.date" content="2014-11-26">
</head><body>
<h1>Le foncier agricole</h1>
<p>Réunis à l'hôtel de ville, les élus ont évoqué la préservation des terres ; coût : 3 € le m².</p>
<p>Façade, garçon, cœur.</p>
</body></html>
"""
    write("html/latin1.html", s.encode("cp1252"))

    s = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>body { font-family: "invisible-style"; }</style>
<script>var invisibleScript = "<p>not text</p>";</script>
<noscript>invisibleNoscript</noscript>
</head>
<body>
<!-- invisibleComment -->
<template><p>invisibleTemplate</p></template>
<h1>Premier  <em>titre</em></h1>
<p>a</p><p>b</p><div>c</div><div>d</div>
<ul><li>un</li><li>deux</li></ul>
<table><tr><td>cellA</td><td>cellB</td></tr></table>
<p>L&rsquo;&eacute;conomie &amp; la soci&#233;t&#xE9; &lt;tag&gt; caf&eacute;&nbsp;cr&egrave;me
co&shy;opérative</p>
<p>mot<b>gras</b>suite<br>ligne</p>
<script type="text/javascript">document.write("invisibleScript2");</script>
</body></html>
"""
    write("html/clean.html", s.encode("utf-8"))

    # No charset declared and bytes that are not UTF-8: Windows-1252.
    s = "<html><head><title>Lettre d’information</title></head><body><p>Été 2017 : l’économie sociale et solidaire, 10 € l’adhésion.</p></body></html>\n"
    write("html/undeclared-cp1252.html", s.encode("cp1252"))
    # UTF-16LE without a byte order mark (nor a usable declaration).
    s = ("<html><head><title>Le cœur du foncier</title></head>"
         "<body><p>L’économie circulaire, pièce par pièce.</p></body></html>")
    write("html/utf16le-nobom.html", s.encode("utf-16-le"))
    # Random bytes named .html: binary data, not HTML.
    write("html/random-bytes.html", random.Random(11).randbytes(4096))


# ---------------------------------------------------------------- Markdown

def markdown_fixtures():
    s = """---
title: "Déniché pour vous n°6 : Lemon Tri"
author: 'Équipe d''animation'
date: 15 mars 2017
type: fiche
tags:
  - économie circulaire
  - "recyclage"
description: >
  Le recyclage des emballages
  de boisson.
lang: fr
---

# Un autre titre, pas celui-ci

Lemon Tri installe des **machines de tri** dans les entreprises &amp; les
gares. Voir [le site](https://example.org/lemontri) ou <https://example.org>.

## Chiffres

| Année | Canettes |
|-------|----------|
| 2016  | 1&nbsp;million |

```sh
tri --emballages
```

<div class="note">
<p>Texte dans un bloc <em>HTML</em>.</p>
<script>invisibleScript()</script>
</div>

- [x] tâche faite
- ~~barré~~ texte&#160;inséparable
"""
    write("markdown/front-matter.md", s.encode("utf-8"))

    s = """Un paragraphe avant le premier titre.

### Mobilité *rurale* et transport à la demande

Le `transport à la demande` réinvente la mobilité.

# Un second titre
"""
    write("markdown/no-front-matter.md", s.encode("utf-8"))

    # Latin-1 bytes in a file that is otherwise ASCII: read as Windows-1252.
    s = "---\ntitle: Fiche sur la mobilité\ndate: 2017-07-04T08:00:00+02:00\ntags: [mobilité, rural]\n---\n\nLe réseau et l'économie : 5 € par trajet.\n"
    write("markdown/latin1.md", s.encode("cp1252"))
    # UTF-16 with a byte order mark, and UTF-16BE without one.
    s = "# Le cœur du foncier\n\nL’économie *circulaire*, pièce par pièce.\n"
    write("markdown/utf16le-bom.md", b"\xff\xfe" + s.encode("utf-16-le"))
    write("markdown/utf16be-nobom.md", s.encode("utf-16-be"))
    # Random bytes named .md: binary data, not Markdown.
    write("markdown/random-bytes.md", random.Random(13).randbytes(4096))


# ---------------------------------------------------------------- DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '</Relationships>')


def core(title=None, creator=None, created=None, description=None, subject=None,
         keywords=None, language=None):
    parts = []
    if title is not None:
        parts.append("<dc:title>%s</dc:title>" % title)
    if subject is not None:
        parts.append("<dc:subject>%s</dc:subject>" % subject)
    if creator is not None:
        parts.append("<dc:creator>%s</dc:creator>" % creator)
    if keywords is not None:
        parts.append("<cp:keywords>%s</cp:keywords>" % keywords)
    if description is not None:
        parts.append("<dc:description>%s</dc:description>" % description)
    if language is not None:
        parts.append("<dc:language>%s</dc:language>" % language)
    if created is not None:
        parts.append('<dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created>' % created)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' + "".join(parts) +
            '</cp:coreProperties>')


def para(text, style=None):
    ppr = '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style if style else ""
    return '<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % (ppr, text)


def document(body):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="%s" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps">'
            '<w:body>%s<w:sectPr/></w:body></w:document>' % (W, body))


def docx(rel, members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2017, 3, 15, 10, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    write(rel, b.getvalue())


def docx_fixtures():
    body = (
        para("Accès au foncier des acteurs de l’ESS", "Title")
        + para("Premier paragraphe du guide.")
        # runs, a tab, a line break, a non-breaking hyphen
        + '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
          '<w:r><w:t>avant</w:t></w:r><w:r><w:tab/><w:t>après</w:t></w:r>'
          '<w:r><w:br/><w:t>ligne</w:t><w:t xml:space="preserve"> suivante </w:t></w:r>'
          '<w:r><w:t>co</w:t><w:noBreakHyphen/><w:t>construction</w:t></w:r></w:p>'
        # a table: cells must not run together
        + '<w:tbl><w:tr><w:tc>' + para("celluleA") + '</w:tc><w:tc>' + para("celluleB") +
          '</w:tc></w:tr></w:tbl>'
        # tracked deletion and a field code are not text
        + '<w:p><w:del><w:r><w:delText>motSupprimé</w:delText></w:r></w:del>'
          '<w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r><w:r><w:t>visible</w:t></w:r></w:p>'
        # a text box: DrawingML choice plus its VML fallback copy
        + '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
          '<w:txbxContent>' + para("encadré") + '</w:txbxContent></wps:txbx></w:drawing></mc:Choice>'
          '<mc:Fallback><w:pict><v:textbox><w:txbxContent>' + para("copieFallback") +
          '</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
        + para("Dernier paragraphe &amp; fin.")
    )
    header = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<w:hdr xmlns:w="%s">%s</w:hdr>' % (W, para("EnTête du réseau")))
    notes = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:footnotes xmlns:w="%s"><w:footnote w:id="1">%s</w:footnote></w:footnotes>'
             % (W, para("Note de bas de page")))
    docx("docx/guide.docx", [
        ("[Content_Types].xml", CT), ("_rels/.rels", RELS),
        ("docProps/core.xml", core("Points de RepèrESS n°7", "RTES", "2017-03-15T10:30:00Z",
                                   "Guide sur le foncier", "Sujet secondaire",
                                   "foncier, ESS", "fr-FR")),
        ("word/document.xml", document(body)),
        ("word/header1.xml", header), ("word/footnotes.xml", notes),
    ])

    # No title in core.xml: the first Heading1 paragraph is the title.
    body = para("Introduction sans style") + para("Le titre du document", "Heading1") + \
        para("Un autre titre", "Heading1") + para("Corps du texte.")
    docx("docx/heading-title.docx", [
        ("[Content_Types].xml", CT), ("_rels/.rels", RELS),
        ("docProps/core.xml", core(creator="Anonyme", subject="Le sujet sert de description")),
        ("word/document.xml", document(body)),
    ])

    # The main part is missing: malformed, but the title is still reported.
    docx("docx/missing-document.docx", [
        ("[Content_Types].xml", CT), ("_rels/.rels", RELS),
        ("docProps/core.xml", core("Fiche sans contenu")),
    ])

    # A small zip bomb: 4 MB of one letter deflate to a few KB (ratio ~1000:1).
    bomb = document('<w:p><w:r><w:t>' + "A" * (4 << 20) + '</w:t></w:r></w:p>')
    docx("docx/bomb.docx", [
        ("[Content_Types].xml", CT), ("_rels/.rels", RELS),
        ("word/document.xml", bomb),
    ])

    r = random.Random(20180122)
    write("docx/not-a-zip.docx", bytes(r.getrandbits(8) for _ in range(4096)))

    # What Word writes for a password-protected .docx: an OLE compound file
    # holding an EncryptedPackage stream. Only the parts the plugin looks at
    # are real (the signature, a directory entry name); the rest is zeros.
    ole = bytearray(1536)
    ole[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    name = "EncryptedPackage".encode("utf-16-le")
    ole[1024:1024 + len(name)] = name
    write("docx/password.docx", bytes(ole))


# ---------------------------------------------------------------- ODT

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"')


def odt(rel, content=None, meta=None, encrypted=False, mimetype="application/vnd.oasis.opendocument.text"):
    enc = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
           '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
           '</manifest:encryption-data>') if encrypted else ""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest %s>'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">%s</manifest:file-entry>'
                '</manifest:manifest>' % (ODF_NS, mimetype, enc))
    members = [("mimetype", mimetype), ("META-INF/manifest.xml", manifest)]
    if meta is not None:
        members.append(("meta.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-meta %s>'
                        '<office:meta>%s</office:meta></office:document-meta>' % (ODF_NS, meta)))
    if content is not None:
        members.append(("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content %s>'
                        '<office:body><office:text>%s</office:text></office:body></office:document-content>'
                        % (ODF_NS, content)))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2017, 3, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    write(rel, b.getvalue())


def odt_fixtures():
    content = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        '<text:p>motSupprimé</text:p></text:deletion></text:changed-region></text:tracked-changes>'
        '<text:h text:outline-level="1">Les communs, une chance</text:h>\n  '
        '<text:p>On parle   de plus\n en plus<text:s text:c="2"/>des communs.<text:line-break/>Ligne'
        '<text:tab/>tabulée.</text:p>\n'
        '<text:p><text:span>mot</text:span><text:span>collé</text:span> et '
        '<text:a xlink:href="https://example.org" xmlns:xlink="http://www.w3.org/1999/xlink">un lien</text:a>'
        '<text:note text:note-class="footnote"><text:note-citation>7</text:note-citation>'
        '<text:note-body><text:p>Une note.</text:p></text:note-body></text:note></text:p>'
        '<table:table><table:table-row><table:table-cell><text:p>celluleA</text:p></table:table-cell>'
        '<table:table-cell><text:p>celluleB</text:p></table:table-cell></table:table-row></table:table>'
        '<text:p><draw:frame><svg:title>titreImage</svg:title><draw:text-box><text:p>encadré</text:p>'
        '</draw:text-box></draw:frame></text:p>'
        '<text:p><office:annotation><text:p>commentaireCaché</text:p></office:annotation>fin.</text:p>')
    meta = ('<dc:title>Tribune : les communs</dc:title><dc:creator>Modifié par</dc:creator>'
            '<meta:initial-creator>Groupe Communs du RTES</meta:initial-creator>'
            '<meta:creation-date>2017-03-01T09:00:00</meta:creation-date>'
            '<dc:subject>Le sujet</dc:subject><meta:keyword>communs</meta:keyword>'
            '<meta:keyword>politiques locales</meta:keyword><dc:language>fr-FR</dc:language>')
    odt("odt/tribune.odt", content, meta)
    odt("odt/heading-title.odt", '<text:p>Avant le titre</text:p><text:h text:outline-level="2">Niveau deux</text:h>'
        '<text:h text:outline-level="1">Le vrai titre</text:h>', '<dc:creator>Anonyme</dc:creator>'
        '<dc:date>2016-05-04T10:00:00</dc:date>')
    odt("odt/encrypted.odt", "<text:p>secret</text:p>", "<dc:title>Chiffré</dc:title>", encrypted=True)
    odt("odt/spreadsheet-type.odt", "<text:p>x</text:p>", None, mimetype="application/x-not-odf")


text_fixtures()
odt_fixtures()
pdf_fixtures()
html_fixtures()
markdown_fixtures()
docx_fixtures()
