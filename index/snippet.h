/* snippet.h -- highlighted extracts of a document's text (internal). */
#ifndef FOUILLE_INDEX_SNIPPET_H
#define FOUILLE_INDEX_SNIPPET_H

#include "analyzer.h"
#include "textstore.h"

#include <cstdint>
#include <string>
#include <unordered_map>
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

/* What the words met in snippets fold to, shared by the hits of one
 * search and the searches that follow: the same words come back from hit
 * to hit and from search to search, and the analyzer's memos are large
 * enough to be slow to ask. One per index handle (not thread-safe); its
 * entries are bounded. */
class SnippetWords
{
  public:
    struct Word {
        std::string plain, key; /* key: empty for numbers and long runs */
        int id = -1;            /* of its key (else plain) in the search
                                 * numbered search, given when it first
                                 * matches in it */
        unsigned search = 0;
        uint64_t hit = 0;       /* the snippet match was decided for */
        bool match = false;
    };
    /* A new search: ids start again (and the words, if too many). */
    void begin_search();
    /* The entry of a word as written (raw), analysed on first sight. */
    Word &get(Analyzer &an, const std::string &raw);
    /* The id of a matched word: words of one key count as one
     * ("distinct" in the snippet's window). */
    int id(Word &w);
    /* Distinct ids handed out so far. */
    size_t ids() const { return id_of_.size(); }
    /* A new snippet: decisions made for the previous one are stale. */
    uint64_t next_hit() { return ++hit_; }

  private:
    std::unordered_map<std::string, Word> words_;
    std::unordered_map<std::string, int> id_of_;
    Word spare_; /* when full: analysed again each time */
    uint64_t hit_ = 0;
    unsigned search_ = 0;
};

/* tokenize(text + from, len - from), restricted to the stretches of text
 * that may hold a token a snippet wants: one whose first character is an
 * ASCII letter or digit that initials marks (by its lower case), or any
 * other character. Text is cut at ASCII white space and controls, where
 * tokenize() always starts afresh (no compound or elision spans them);
 * each stretch in between is tokenized whole, or skipped when none of the
 * places where a token may start in it (after a character that is not an
 * ASCII letter or digit, or where letters give way to digits and back)
 * holds a wanted character. A stretch reaching past byte *limit is
 * tokenized all the same, so that a sink that stops at a token starting
 * past *limit stops as it would with tokenize(); the sink may lower
 * *limit as it goes. Token offsets are of text, code points counted from
 * from_c at from. The sink sees a subsequence of what tokenize() would
 * show it, holding every wanted token; the return value is tokenize()'s
 * (code points walked). */
size_t tokenize_wanted(const char *text, size_t len, size_t from,
                       size_t from_c, const bool initials[256],
                       const size_t *limit, TokenSink &sink);

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
                  SnippetWords &words, Snippet &out);

} // namespace fouille

#endif
