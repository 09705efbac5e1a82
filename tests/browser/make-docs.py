#!/usr/bin/env python3
"""make-docs.py DIR [FORMAT...] -- the documents folder of the browser test.

Small French publications in the formats whose plugins are built (text is
always there; md, html and pdf when named on the command line): fourteen
talk about land ("foncier" and its inflections), so that a search fills two
pages of ten; a few do not. Two are hostile: their titles carry markup that
would run script if the widget ever inserted a title as HTML.
Only the Python standard library is used.
"""
import os
import sys

out = sys.argv[1]
formats = set(sys.argv[2:])


def write(rel, data):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


XSS = '<script>window.fouilleXss=1</script><img src=x onerror="window.fouilleXss=2">'

# Eight practical sheets: Markdown with a title when that plugin is built,
# else text (whose title is the file name).
communes = ["Rennes", "Nantes", "Brest", "Lorient", "Vannes", "Quimper",
            "Saint-Brieuc", "Morlaix"]
for i, c in enumerate(communes, 1):
    body = ("La question foncière se pose aux collectivités de %s : les terres "
            "agricoles, les fonciers solidaires et le prix du foncier bâti.\n" % c)
    if "md" in formats:
        write("fiches/foncier-%02d.md" % i,
              "---\ntitle: \"Fiche %d : l'accès au foncier à %s\"\n"
              "date: %d-03-1%d\n---\n\n%s" % (i, c, 2014 + i % 3, i, body))
    else:
        write("fiches/foncier-%02d.txt" % i, body)
write("fiches/mobilite.txt", "Mobilité rurale\n\nLe transport à la demande "
      "et le covoiturage dans les communes.\n")
write("guides/economie.txt", "Guide de l'économie circulaire\n\nRéemploi, "
      "réparation et recyclage.\n")
# A file name is a title too: it cannot hold a slash, but it can hold an
# element with an event handler.
write('divers/Foncier <img src=x onerror="window.fouilleXss=3">.txt',
      "Un nom de fichier piégé, à propos du foncier.\n")

if "md" in formats:
    write("rapports/2016/rapport-2016.md",
          "---\ntitle: \"Rapport d'activité 2016 : le foncier solidaire\"\n"
          "date: 2016-05-12\n---\n\n# Bilan\n\nLes foncières solidaires ont "
          "acquis trois fermes. Le foncier reste le premier frein.\n")
    write("guides/guide-foncier.md",
          "---\ntitle: Guide pratique de la veille foncière\ndate: 2018-02-01\n"
          "---\n\nComment suivre les ventes de terres : la SAFER, le "
          "notaire et le foncier communal.\n")
    write("presse/revue.md",
          "---\ntitle: 'Revue de presse : la bataille du foncier'\n"
          "date: 2019-09-09\n---\n\nTrois articles sur le FONCIER agricole "
          "et la spéculation.\n")
else:
    write("rapports/2016/rapport-2016.txt", "Le foncier solidaire en 2016.\n")
    write("guides/guide-foncier.txt", "La veille foncière.\n")
    write("presse/revue.txt", "Le FONCIER agricole.\n")

if "html" in formats:
    write("rapports/2018/foncieres.html",
          "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
          "<title>Les sociétés foncières citoyennes</title>"
          "<meta name=\"dcterms.date\" content=\"2018-06-30\"></head><body>"
          "<h1>Sociétés foncières</h1><p>Des citoyens achètent ensemble du "
          "foncier agricole pour installer des paysans.</p></body></html>\n")
    esc = XSS.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    write("presse/piege-html.html",
          "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
          "<title>Foncier %s</title></head><body><p>Le foncier, encore : "
          "%s</p></body></html>\n" % (esc, esc))
else:
    write("rapports/2018/foncieres.txt", "Les sociétés foncières.\n")
    write("presse/piege-html.txt", "Le foncier, encore.\n")


def pdf(pages, title, date):
    """A minimal PDF, one Helvetica text page per list of lines."""
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    cat = add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pages_id = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        ops = [b"BT /F1 14 Tf 72 760 Td 18 TL"]
        for line in lines:
            e = line.encode("cp1252").replace(b"\\", b"\\\\")
            ops.append(b"(" + e.replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*")
        ops.append(b"ET")
        data = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
                        % (pages_id, content, font)))
    objs[pages_id - 1] = (b"<< /Type /Pages /Count %d /Kids [%s] >>"
                          % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)))
    t = "FEFF" + title.encode("utf-16-be").hex().upper()
    info = add(b"<< /Title <%s> /CreationDate (D:%s) >>" % (t.encode(), date.encode()))
    b = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for k, o in enumerate(objs, 1):
        offs.append(len(b))
        b += b"%d 0 obj\n" % k + o + b"\nendobj\n"
    x = len(b)
    b += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        b += b"%010d 00000 n \n" % o
    b += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
          % (len(objs) + 1, cat, info, x))
    return bytes(b)


if "md" in formats and "html" in formats:
    # One publication in two formats: one hit, the other format a variant.
    text = ("Les circuits courts alimentaires du réseau en 2019 : marchés de "
            "producteurs, paniers paysans, restauration collective locale et "
            "plateformes logistiques partagées entre agriculteurs.")
    write("rapports/2019/bilan-circuits.md",
          "---\ntitle: Bilan des circuits courts 2019\ndate: 2019-12-01\n"
          "---\n\n%s\n" % text)
    write("rapports/2019/bilan-circuits.html",
          "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
          "<title>Bilan des circuits courts 2019</title></head><body><p>%s"
          "</p></body></html>\n" % text)

if "pdf" in formats:
    # The match is on the second page: the link must open it there.
    write("rapports/2017/etude-2017.pdf", pdf(
        [["Étude 2017 : mobilité et transports", "Première partie."],
         ["Deuxième partie : le prix du foncier", "dans les communes rurales."]],
        "Étude 2017 sur les territoires", "20170315103000+01'00'"))
else:
    write("rapports/2017/etude-2017.txt", "Le prix du foncier en 2017.\n")
