/* query.h -- from a user query to a Xapian::Query (internal). */
#ifndef FOUILLE_INDEX_QUERY_H
#define FOUILLE_INDEX_QUERY_H

#include "handle.h"

#include <xapian.h>

#include <string>
#include <vector>

namespace fouille
{

struct ParsedQuery {
    Xapian::Query query;                /* meaningless when listing */
    bool listing = false;               /* no words: list everything */
    std::vector<std::string> wildcards; /* plain prefixes expanded by '*'
                                         * or prefix_last (for snippets) */
    std::string suggestion;             /* "" when none */
};

/* Parse q (valid UTF-8, already length-checked) with Xapian::QueryParser
 * and expand its words into stem keys. Throws Xapian::QueryParserError for
 * a query the grammar rejects. */
void parse_query(fouille_index_t *idx, const char *q, bool prefix_last,
                 ParsedQuery &out);

} // namespace fouille

#endif
