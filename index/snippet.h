/* snippet.h -- highlighted extracts of a document's text (internal). */
#ifndef FOUILLE_INDEX_SNIPPET_H
#define FOUILLE_INDEX_SNIPPET_H

#include "analyzer.h"
#include "textstore.h"

#include <string>
#include <unordered_set>
#include <vector>

namespace fouille
{

/* What a word of the text must match to be highlighted: the terms of the
 * query that matched the document, sorted by kind. */
struct SnippetTerms {
    std::unordered_set<std::string> surfaces; /* plain forms */
    std::unordered_set<std::string> keys;     /* stem keys, no "Z" */
    std::vector<std::string> prefixes;        /* wildcards */

    /* Sort a term from Enquire::get_matching_terms: boolean terms (X..,
     * Q..) are ignored, field prefixes stripped. */
    void add_term(const std::string &term);
    bool empty() const
    {
        return surfaces.empty() && keys.empty() && prefixes.empty();
    }
};

struct Snippet {
    std::string html;  /* HTML-escaped, matches in <mark></mark> */
    unsigned page = 0; /* 1 + form feeds before it; 0 if paged is false */
};

/* Build the snippet of about chars code points of a document's text with
 * the most distinct matched words (the start of the text when nothing
 * matches), reading text, then as many chunks as more (may be null) gives
 * until the first matches are well covered. It is cut on word boundaries,
 * with "…" where the text goes on, and stays within one page; out.page is
 * set when paged or the text read holds a page break. */
void make_snippet(Analyzer &an, std::string text, TextChunks *more,
                  const SnippetTerms &terms, unsigned chars, bool paged,
                  Snippet &out);

} // namespace fouille

#endif
