/* model.h -- how a file is laid out in the Xapian database (internal).
 *
 * One Xapian document per path:
 *  - unique id term  Q<path>, or Q\0<128-bit hash> for a path too long for
 *    a term (the path itself is in the data and the entry value);
 *  - marker term     XKdoc for an indexed document, XKfail for a failure
 *    record; every search is filtered by XKdoc; XKprivate on a
 *    private document (a public search filters it out);
 *  - boolean terms   XT<type>, XY<year>, XM<mime>, XD<folder> for each
 *    ancestor folder of the path ("a", "a/b" for "a/b/c.pdf"); XG<title
 *    hash> and XC<group key> (group.h);
 *  - text terms      <plain> surface forms with positions (body, title,
 *    description, keywords, author; file-name words without positions),
 *    S<plain> for title words (field search "title:"), Z<key> and
 *    ZS<key> stem keys (stem.h), without positions;
 *  - values          below; SLOT_ENTRY holds what enumeration needs so that
 *    fouille_index_foreach() reads one value stream, not every document;
 *  - data            none: docdata.h's fields are in SLOT_DATA;
 *  - text            in metadata entries of its own, a kilobyte each
 *                    (textstore.h), so that a snippet reads only the part
 *                    of a long text that it shows.
 * Metadata key "fouille.schema" holds SCHEMA_VERSION. */
#ifndef FOUILLE_INDEX_MODEL_H
#define FOUILLE_INDEX_MODEL_H

#include <xapian.h>

#include <string>
#include <vector>

namespace fouille
{

constexpr Xapian::valueno SLOT_DATE = 0;  /* "YYYYMMDD", 00 for unknown */
constexpr Xapian::valueno SLOT_SIZE = 1;  /* Xapian::sortable_serialise */
/* Slots 2 and 3 held the type and the year (schema 2): the facets now
 * read SLOT_FACETS only. */
constexpr Xapian::valueno SLOT_ENTRY = 4; /* docdata.h's Entry */
constexpr Xapian::valueno SLOT_GROUP = 5;   /* group.h: publication key */
constexpr Xapian::valueno SLOT_SIMHASH = 6; /* group.h: text simhash */
/* docdata.h's DocData, read for every hit. A value, not the document's
 * data: glass compresses the data table with zlib, and inflating 200
 * bytes (a Huffman table built per document) cost four times as much as
 * reading a value. */
constexpr Xapian::valueno SLOT_DATA = 7;
/* The facets of a document in one value, so that the matcher reads one
 * value per match, not one per facet: type, year ("YYYY") and the first
 * two folder levels of its path ("a/b"), each possibly empty, separated
 * by a zero byte (facet_value()). */
constexpr Xapian::valueno SLOT_FACETS = 8;

extern const char *const DOC_MARKER;  /* "XKdoc" */
extern const char *const FAIL_MARKER; /* "XKfail" */
/* On a private document (FOUILLE_DOC_PRIVATE): a public search is
 * filtered by NOT XKprivate. */
extern const char *const PRIVATE_MARKER; /* "XKprivate" */
extern const char *const SCHEMA_KEY;
extern const char *const SCHEMA_VERSION;

/* Xapian (glass) refuses terms longer than 245 bytes; keep a margin. */
constexpr size_t MAX_TERM_BYTES = 240;

/* Longest accepted path, in bytes (PATH_MAX). */
constexpr size_t MAX_PATH_BYTES = 4096;

/* The unique id term of a path. */
std::string id_term(const std::string &path);

/* Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" (anything after the day, such
 * as a time, is ignored). On success sets the sortable "YYYYMMDD" key
 * (month and day "00" when absent) and the year. */
bool parse_date(const char *date, std::string &sortable, std::string &year);

/* The XD terms of the folders above path. */
std::vector<std::string> folder_terms(const std::string &path);

/* SLOT_FACETS's value of a document. */
std::string facet_value(const char *type, const std::string &year,
                        const std::string &path);

/* The folder part of SLOT_FACETS's value: "a/b" for "a/b/c/d.pdf", "a"
 * for "a/d.pdf", "" for a file at the top. */
std::string folder_facet_value(const std::string &path);

/* The words of a path's file name: the base name without its extension. */
std::string file_name_words(const std::string &path);

/* A document's DocData, encoded (SLOT_DATA; the data of an index of an
 * older schema, read as it is). */
std::string stored_data(const Xapian::Document &doc);

/* Add term to doc as a boolean term unless it is too long. */
void add_boolean(Xapian::Document &doc, const std::string &term);

} // namespace fouille

#endif
