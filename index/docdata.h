/* docdata.h -- serialisation of a document's stored data and of its
 * enumeration entry (internal).
 *
 * Format (version 1), all integers as unsigned LEB128 varints:
 *   byte    version (1)
 *   varint  number of strings, then each string as varint (length + 1)
 *           followed by its bytes; 0 stands for an absent (NULL) string
 *   varint  number of integers, then each integer (size, pages, flags,
 *           chunks)
 * Fields are only ever appended: a decoder ignores strings and integers
 * past the ones it knows and treats missing ones as absent, so a newer
 * writer's data stays readable. Anything truncated, overlong or followed
 * by garbage is rejected. The entry value has a kind byte after the
 * version byte and strings only. */
#ifndef FOUILLE_INDEX_DOCDATA_H
#define FOUILLE_INDEX_DOCDATA_H

#include <cstdint>
#include <string>

namespace fouille
{

enum DocField {
    F_PATH,
    F_SIGNATURE,
    F_PLUGIN,
    F_MIME,
    F_TYPE,
    F_TITLE,
    F_AUTHOR,
    F_DATE,
    F_LANGUAGE,
    F_DESCRIPTION,
    F_KEYWORDS,
    F_REASON, /* failure records only */
    F_TEXT,   /* pages separated by '\f'; empty when the text is stored
               * in chunks (textstore.h) */
    F_OCR_PAGES, /* pages whose text was recognised, "1-3,5" */
    F_COUNT
};

struct DocData {
    std::string s[F_COUNT];
    bool has[F_COUNT] = {};
    uint64_t size = 0;
    unsigned pages = 0;
    unsigned flags = 0;
    unsigned chunks = 0; /* chunks of text in metadata (0: in F_TEXT) */

    void set(DocField f, const char *v)
    {
        has[f] = v != nullptr;
        s[f] = v ? v : "";
    }
    const char *get(DocField f) const
    {
        return has[f] ? s[f].c_str() : nullptr;
    }
};

std::string encode_data(const DocData &d);
bool decode_data(const std::string &in, DocData &d);

enum EntryField {
    E_PATH,
    E_SIGNATURE,
    E_MIME,
    E_PLUGIN,
    E_REASON,
    E_TITLE,
    E_PRIVATE, /* "1" for a private document, absent otherwise */
    E_COUNT
};

/* What fouille_index_foreach() reports for a path. */
struct Entry {
    enum Kind : char {
        DOCUMENT = 'd', /* indexed */
        FAILURE = 'f',  /* a failure record, nothing indexed */
        KEPT = 'k',     /* indexed, but a later extraction failed: the
                         * signature and reason are the failure's */
    };
    Kind kind = DOCUMENT;
    std::string s[E_COUNT];
    bool has[E_COUNT] = {};

    void set(EntryField f, const char *v)
    {
        has[f] = v != nullptr;
        s[f] = v ? v : "";
    }
    const char *get(EntryField f) const
    {
        return has[f] ? s[f].c_str() : nullptr;
    }
};

std::string encode_entry(const Entry &e);
bool decode_entry(const std::string &in, Entry &e);

} // namespace fouille

#endif
