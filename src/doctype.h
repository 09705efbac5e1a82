/* doctype.h -- the publication type and year of a document, from what the
 * document says and, failing that, from where it sits in the folder.
 *
 * Type: the plugin's TYPE field (e.g. Markdown front matter) if any, else
 * the top folder mapped through a small table (rapports -> rapport,
 * fiches -> fiche, guides -> guide, lettres -> lettre, presse -> presse,
 * anything else -> the folder name itself, lowercased), else "document" for
 * files at the root. Year: the document's date, else a path component that
 * is a plausible year (1900-2099), else none. */
#ifndef FOUILLE_DOCTYPE_H
#define FOUILLE_DOCTYPE_H

#include <stddef.h>

/* out receives the type (ASCII lowercase, at most len-1 bytes). */
void fouille__doctype(const char *relpath, const char *declared, char *out,
                      size_t len);

/* Normalise a date field to "YYYY", "YYYY-MM" or "YYYY-MM-DD" into out
 * (11 bytes); returns 0, or -1 (out = "") when date is not a date. Accepts
 * ISO 8601 with a time, "YYYY/MM/DD", "DD/MM/YYYY" and PDF's
 * "D:YYYYMMDD...". */
int fouille__date_normalise(const char *date, char out[11]);

/* The year of a path ("lettres/2017/x.pdf" -> "2017") into out (5 bytes);
 * returns 0 or -1. */
int fouille__path_year(const char *relpath, char out[5]);

#endif
