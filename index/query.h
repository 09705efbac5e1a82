/* query.h -- from a user query to a Xapian::Query (internal). */
#ifndef FOUILLE_INDEX_QUERY_H
#define FOUILLE_INDEX_QUERY_H

#include "handle.h"

#include <xapian.h>

#include <string>
#include <vector>

namespace fouille
{

/* One word of a query that may be relaxed (or the phrase of a compound's
 * parts): what the user typed for it, its expanded query, and the terms
 * that tell whether a document holds it: one of each group. */
struct QueryUnit {
    std::string typed;
    Xapian::Query query;
    std::vector<std::vector<std::string>> terms;
};

struct ParsedQuery {
    Xapian::Query query;                /* meaningless when listing */
    bool listing = false;               /* no words: list everything */
    std::vector<std::string> wildcards; /* plain prefixes expanded by '*'
                                         * or prefix_last (for snippets) */
    std::string suggestion;             /* "" when none */
    /* The words of a query of several free words and no operator, which
     * search.cc relaxes to most of them when all of them match too few
     * documents; empty otherwise. */
    std::vector<QueryUnit> units;
    /* Compounds searched as the phrase of their parts, joined: the
     * snippet marks them whole. */
    std::vector<std::string> joined;
    /* Unknown words typed, and the index words used in their place. */
    std::vector<std::pair<std::string, std::string>> corrections;
};

/* Parse q (valid UTF-8, already length-checked) with Xapian::QueryParser
 * and expand its words into stem keys, corrections of unknown words and
 * synonyms (may be null). With public_only, a word counts as known, and a
 * correction or suggestion is kept, only when a public document holds it
 * (fouille-index.h: FOUILLE_DOC_PRIVATE). A query the grammar rejects ("foncier AND",
 * "(a OR") is searched as its words. */
void parse_query(fouille_index_t *idx, const char *q, bool prefix_last,
                 const fouille_synonyms *syn, ParsedQuery &out,
                 bool public_only = false);

/* The French function words a query ignores outside phrases
 * ("comment", "des", "une", "pour"...), in plain form. */
bool is_stop_word(const std::string &plain);

} // namespace fouille

#endif
