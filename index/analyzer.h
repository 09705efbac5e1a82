/* analyzer.h -- French word analysis shared by indexing, queries and
 * snippets (internal).
 *
 * Words are runs of Unicode letters and digits (with their combining
 * marks). An elided article or pronoun (l', d', qu', jusqu'...) before a
 * letter is dropped; any other apostrophe separates words. A compound
 * joined by hyphens between letters ("co-construction") yields each part
 * and the joined word ("coconstruction").
 *
 * A run that mixes letters and digits is a compound of its letter and
 * digit runs ("e2fsck": e, 2, fsck; "ext4": ext, 4), and so are words
 * joined by '_', '.' or '/' with a word character on each side
 * ("sshd_config", "resolv.conf", "S.C.I.C."): each part is a word, and
 * the joined word ("e2fsck", "resolvconf", "scic") is one too, at the
 * positions of its first and last parts.
 *
 * Each word has two folded forms: `lower` (NFKC case-folded, accents kept,
 * œ/æ expanded) and `plain` (lower without accents). The index holds
 * `plain` as the surface term and one stem key, light_stem(plain)
 * (stem.h): computed from the accent-free form, it is the same whether a
 * word was typed with accents or not. */
#ifndef FOUILLE_INDEX_ANALYZER_H
#define FOUILLE_INDEX_ANALYZER_H

#include <xapian.h>

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace fouille
{

/* Longest indexed word, in bytes of its plain form: longer runs are
 * garbage (base64, hashes) and are skipped. */
constexpr size_t MAX_WORD_BYTES = 64;

/* A compound has at most this many parts; a longer chain is split. */
constexpr unsigned MAX_COMPOUND_PARTS = 8;

/* One word found in a text. */
struct Token {
    enum Kind : unsigned char { SIMPLE, PART, JOINED };
    size_t start, end;   /* byte range in the text (JOINED: whole compound) */
    size_t cstart, cend; /* the same range in code points */
    unsigned pos;        /* ordinal of the word (0-based) */
    unsigned pos_last;   /* JOINED: ordinal of its last part; else pos */
    Kind kind;
};

class TokenSink
{
  public:
    virtual ~TokenSink() = default;
    /* Return false to stop the walk. */
    virtual bool token(const char *text, const Token &tok) = 0;
};

/* Split text into words and hand them to sink in text order (the parts of a
 * compound first, then the joined word). Invalid UTF-8 bytes separate
 * words. Returns the number of code points walked. */
size_t tokenize(const char *text, size_t len, TokenSink &sink);

/* Whether word (plain form) is an elided word that is dropped before an
 * apostrophe: l d j m n s t c qu jusqu lorsqu puisqu quoiqu. */
bool is_elision(const char *s, size_t n);

/* Fold the bytes of one word (or of a joined compound, whose hyphens are
 * removed): see above. Characters that are not letters or digits are
 * dropped. Returns false if nothing is left. */
bool fold(const char *s, size_t n, std::string &lower, std::string &plain);

/* lower without accents (what fold() makes plain from). */
std::string strip_marks(const std::string &lower);

/* Whether a plain form is made of digits only (no stem keys for those). */
bool all_digits(const std::string &plain);

/* Whether a plain form is made of letters only (spelling candidates). */
bool all_letters(const std::string &plain);

/* What fold() makes of a word as written. */
struct Folded {
    std::string lower, plain; /* plain is empty when nothing is left */
};

/* A memo of what a function gives for a word: bounded, emptied when
 * full (the words of a language repeat; a memo that big is rarely
 * filled). */
template <class V> class Memo
{
  public:
    explicit Memo(size_t max) : max_(max) {}
    template <class Make> const V &get(const std::string &key, Make make)
    {
        auto it = map_.find(key);
        if (it != map_.end())
            return it->second;
        if (map_.size() >= max_)
            map_.clear();
        return map_.emplace(key, make()).first->second;
    }

  private:
    std::unordered_map<std::string, V> map_;
    size_t max_;
};

/* Folding and stemming with memos. Not thread-safe: one per index
 * handle. */
class Analyzer
{
  public:
    Analyzer();
    /* The stem key of a plain word (without the "Z" prefix); none for a
     * word of digits only (the empty string). */
    const std::string &key(const std::string &plain);
    /* fold() of raw, remembered: the snippet generator meets the same
     * words in hit after hit, and query after query. */
    const Folded &folded(const std::string &raw);

  private:
    Memo<std::string> keys_;
    Memo<Folded> folded_;
};

/* ---- Queries ------------------------------------------------------------ */

/* One word of a normalised query. */
struct QueryWord {
    std::string plain;   /* as written into the normalised text */
    std::string lower;   /* accented form, when the user typed one */
    size_t ostart, oend; /* byte range in the user's query */
    size_t tstart;       /* byte offset in the normalised text */
    bool op;             /* an operator kept as typed (AND, OR...) */
    bool star;           /* followed by '*' (a wildcard) */
};

struct NormalizedQuery {
    std::string text;             /* what Xapian::QueryParser parses */
    std::vector<QueryWord> words; /* in order */
    bool ends_with_word = false;  /* the text ends right after a word */
    bool explicit_ops = false;    /* the user typed an operator, quotes,
                                   * parentheses, +/- or a field prefix */
    std::vector<std::string> joined; /* compounds looked up as the phrase
                                      * of their parts, joined ("e2fsck"):
                                      * what a snippet marks whole */
};

/* Rewrite a user query for Xapian::QueryParser: operators in capitals
 * (AND OR NOT XOR NEAR ADJ), quotes, parentheses, prefix +/-, a '*' after a
 * word and a "field:" prefix are kept; words are folded to their plain
 * form, elisions dropped, letter-hyphen-letter compounds joined;
 * typographic quotes (« » “ ” „) become '"'; anything else becomes a space.
 * The input must be valid UTF-8. */
void normalize_query(const char *q, size_t n, NormalizedQuery &out);

/* The words of nq without its operators, quotes or parentheses: what a
 * query the grammar rejects ("foncier AND") is searched as. */
std::string literal_query(const NormalizedQuery &nq);

/* Split a normalised (ASCII-punctuated) query text into its words, as
 * byte ranges: used to compare it with QueryParser's corrected string. */
std::vector<std::pair<size_t, size_t>> query_text_words(const std::string &s);

} // namespace fouille

#endif
