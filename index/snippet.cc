/* snippet.cc -- choose and render the best window of a document's text.
 *
 * The text is tokenized with the indexer's own tokenizer; a word matches
 * when its plain form, its stem keys or a wildcard prefix match a term
 * the query matched in this document. The window of about `chars` code
 * points holding the most distinct matched words wins (then the most
 * matches, then the earliest). */
#include "snippet.h"

#include "utf8.h"

#include <algorithm>
#include <unordered_map>

namespace fouille
{

namespace
{

/* Bounds on the work done per hit: a snippet comes from the first
 * SCAN_BYTES of the text and its first MAX_MATCHES matched words. */
constexpr size_t SCAN_BYTES = 512 * 1024;
/* The scan stops this many bytes past the first match: the best window
 * of a long document is rarely worth reading and tokenizing all of it (a
 * frequent word matches all along; snippets dominated query time), and a
 * document whose first match lies deep still gets it, with its page. */
constexpr size_t PAST_FIRST_MATCH = 512;
constexpr size_t MAX_MATCHES = 2000;
/* Words a handle's SnippetWords keeps (about 150 bytes each). */
constexpr size_t CACHE_MAX = 10000;

const char ELLIPSIS[] = "\xE2\x80\xA6"; /* … */

struct Match {
    size_t s, e;   /* bytes */
    size_t cs, ce; /* code points */
    int id;        /* which matched word (for "distinct") */
};

class Collector : public TokenSink
{
  public:
    /* The initials of the words that may match (tokenize_wanted). */
    const bool *initials() const { return first_; }
    /* A token starting past this byte of the text stops the scan: the
     * first SCAN_BYTES, then PAST_FIRST_MATCH bytes past the first match. */
    const size_t *limit() const { return &limit_; }

    Collector(Analyzer &an, const SnippetTerms &terms, SnippetWords &words)
        : an_(an), terms_(terms), words_(words), hit_(words.next_hit())
    {
        for (const std::string &s : terms.surfaces)
            first_[static_cast<unsigned char>(s[0])] = true;
        for (const std::string &s : terms.keys)
            first_[static_cast<unsigned char>(s[0])] = true;
        for (const std::string &s : terms.prefixes)
            first_[static_cast<unsigned char>(s[0])] = true;
    }

    /* Whether the scan has seen enough (more text is not needed). */
    bool stopped = false;

    bool token(const char *text, const Token &t) override
    {
        if (t.start > limit_) {
            stopped = true;
            return false;
        }
        /* Cheap rejection: a plain form starts with the folded first
         * letter (a word starts with a letter or a digit). */
        unsigned char b0 = static_cast<unsigned char>(text[t.start]);
        char initial;
        if (b0 < 0x80) {
            initial = static_cast<char>(b0 >= 'A' && b0 <= 'Z' ? b0 | 0x20 : b0);
        } else {
            int32_t cp0;
            utf8_decode(text + t.start, t.end - t.start, &cp0);
            initial = plain_initial(cp0);
        }
        if (initial && !first_[static_cast<unsigned char>(initial)])
            return true;
        raw_.assign(text + t.start, t.end - t.start);
        SnippetWords::Word &w = words_.get(an_, raw_);
        if (w.hit != hit_) {
            w.hit = hit_;
            w.match = matches_terms(w);
        }
        if (w.match) {
            matches.push_back(
                Match{t.start, t.end, t.cstart, t.cend, words_.id(w)});
            if (matches.size() == 1)
                limit_ = std::min(limit_, t.start + PAST_FIRST_MATCH);
        }
        stopped = matches.size() >= MAX_MATCHES;
        return !stopped;
    }

    std::vector<Match> matches;

  private:
    bool matches_terms(const SnippetWords::Word &w) const
    {
        const std::string &plain = w.plain;
        if (plain.empty() || !first_[static_cast<unsigned char>(plain[0])])
            return false;
        if (terms_.surfaces.count(plain) > 0)
            return true;
        for (const std::string &p : terms_.prefixes)
            if (plain.compare(0, p.size(), p) == 0)
                return true;
        return !w.key.empty() && terms_.keys.count(w.key) > 0;
    }

    Analyzer &an_;
    const SnippetTerms &terms_;
    SnippetWords &words_;
    const uint64_t hit_;
    bool first_[256] = {};
    size_t limit_ = SCAN_BYTES - 1;
    std::string raw_;
};

/* What a byte is to tokenize_wanted(): a break (ASCII white space and
 * controls, where tokenize() starts afresh), an ASCII letter or digit,
 * other ASCII (as char_class() sees them), or part of a longer code
 * point. */
enum StretchKind : unsigned char {
    K_OTHER,
    K_LETTER,
    K_DIGIT,
    K_BREAK,
    K_HIGH
};

struct StretchKinds {
    unsigned char k[256];
    StretchKinds()
    {
        for (int b = 0; b < 256; b++) {
            const CharClass c = b < 0x80 ? char_class(b) : CC_OTHER;
            k[b] = b >= 0x80         ? K_HIGH
                   : c == CC_SPACE  ? K_BREAK
                   : c == CC_LETTER ? K_LETTER
                   : c == CC_DIGIT  ? K_DIGIT
                                    : K_OTHER;
        }
    }
};
const StretchKinds STRETCH_KINDS;

/* Hands a stretch's tokens on with the offsets of the whole text, and
 * tells whether the sink stopped. */
class Shifted : public TokenSink
{
  public:
    Shifted(TokenSink &sink, size_t b, size_t c) : sink_(sink), b_(b), c_(c) {}
    bool token(const char *text, const Token &tok) override
    {
        Token t = tok;
        t.start += b_;
        t.end += b_;
        t.cstart += c_;
        t.cend += c_;
        stopped = !sink_.token(text - b_, t);
        return !stopped;
    }
    bool stopped = false;

  private:
    TokenSink &sink_;
    size_t b_, c_;
};

inline CharClass class_at(const std::string &t, size_t i, size_t *len)
{
    int32_t cp;
    *len = utf8_decode(t.data() + i, t.size() - i, &cp);
    return char_class(cp);
}

inline bool word_at(const std::string &t, size_t i)
{
    size_t l;
    return i < t.size() && is_word_char(class_at(t, i, &l));
}

inline bool word_before(const std::string &t, size_t i)
{
    return i > 0 && word_at(t, utf8_prev(t.data(), i));
}

void escape_into(std::string &out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += s[i]; break;
        }
    }
}

/* ASCII bytes that render as themselves: printable, not white space,
 * nothing HTML escapes. */
struct PlainBytes {
    bool plain[256];
    constexpr PlainBytes() : plain()
    {
        for (int b = 0x21; b < 0x7F; b++)
            plain[b] = b != '&' && b != '<' && b != '>' && b != '"' &&
                       b != '\'';
    }
};
constexpr PlainBytes PLAIN_BYTES;

/* Render text[b..e) with the given (sorted, disjoint) marks; runs of white
 * space and control characters become one space. */
void render(const std::string &text, size_t b, size_t e,
            const std::vector<std::pair<size_t, size_t>> &marks, bool cut_start,
            bool cut_end, std::string &out)
{
    out.clear();
    if (cut_start)
        out += ELLIPSIS;
    size_t m = 0;
    bool space = false, any = false;
    size_t i = b;
    while (i < e) {
        int32_t cp;
        size_t l = utf8_decode(text.data() + i, e - i, &cp);
        if (char_class(cp) == CC_SPACE) {
            space = any;
            i += l;
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        any = true;
        while (m < marks.size() && marks[m].second <= i)
            m++;
        if (m < marks.size() && marks[m].first == i)
            out += "<mark>";
        if (cp < 0) {
            out += "\xEF\xBF\xBD"; /* U+FFFD for a stray byte */
        } else if (PLAIN_BYTES.plain[static_cast<unsigned char>(text[i])]) {
            /* A run of bytes copied as they are, up to the next mark's
             * start or end. */
            size_t stop = e;
            if (m < marks.size())
                stop = std::min(stop, marks[m].first > i ? marks[m].first
                                                         : marks[m].second);
            size_t j = i + 1;
            while (j < stop &&
                   PLAIN_BYTES.plain[static_cast<unsigned char>(text[j])])
                j++;
            out.append(text.data() + i, j - i);
            l = j - i;
        } else {
            escape_into(out, text.data() + i, l);
        }
        i += l;
        if (m < marks.size() && marks[m].second == i) {
            out += "</mark>";
            m++;
        }
    }
    if (cut_end)
        out += ELLIPSIS;
}

} // namespace

size_t tokenize_wanted(const char *text, size_t len, size_t from,
                       size_t from_c, const bool initials[256],
                       const size_t *limit, TokenSink &sink)
{
    const unsigned char *u = reinterpret_cast<const unsigned char *>(text);
    size_t i = from, ci = from_c;
    while (i < len) {
        if (STRETCH_KINDS.k[u[i]] == K_BREAK) {
            i++;
            ci++;
            continue;
        }
        /* One stretch: where a letter or digit follows something else, or
         * letters give way to digits and back, a token may start; is its
         * initial (as the snippet's matcher sees it) wanted? */
        const size_t start = i;
        size_t cps = 0;
        unsigned prev = K_OTHER;
        bool wanted = false;
        while (i < len) {
            unsigned k = STRETCH_KINDS.k[u[i]];
            if (k == K_BREAK)
                break;
            if (k == K_LETTER || k == K_DIGIT) {
                if (k != prev &&
                    initials[u[i] | (k == K_LETTER ? 0x20 : 0)]) {
                    wanted = true;
                    break;
                }
                const size_t run = i;
                do
                    i++;
                while (i < len && STRETCH_KINDS.k[u[i]] == k);
                cps += i - run;
                prev = k;
                continue;
            }
            cps++;
            if (k == K_OTHER) {
                i++;
                prev = K_OTHER;
                continue;
            }
            int32_t cp;
            i += utf8_decode(text + i, len - i, &cp);
            const CharClass cc = char_class(cp);
            if (cc == CC_MARK)
                continue; /* part of the character before */
            k = cc == CC_LETTER ? K_LETTER : cc == CC_DIGIT ? K_DIGIT : K_OTHER;
            if (k != prev && k != K_OTHER) {
                const unsigned char initial =
                    static_cast<unsigned char>(plain_initial(cp));
                if (!initial || initials[initial]) {
                    wanted = true;
                    break;
                }
            }
            prev = k;
        }
        /* Wanted: tokenize() walks it all; find its end. */
        if (wanted)
            while (i < len && STRETCH_KINDS.k[u[i]] != K_BREAK)
                i++;
        if (!wanted && i - 1 <= *limit) {
            ci += cps;
            continue;
        }
        Shifted shifted(sink, start, ci);
        ci += tokenize(text + start, i - start, shifted);
        if (shifted.stopped)
            break;
    }
    return ci - from_c;
}

SnippetWords::Word &SnippetWords::get(Analyzer &an, const std::string &raw)
{
    auto it = words_.find(raw);
    if (it != words_.end())
        return it->second;
    Word w;
    w.plain = an.folded(raw).plain;
    if (!w.plain.empty() && !all_digits(w.plain) &&
        w.plain.size() <= MAX_WORD_BYTES)
        w.key = an.key(w.plain);
    if (words_.size() >= CACHE_MAX) {
        spare_ = std::move(w);
        return spare_;
    }
    return words_.emplace(raw, std::move(w)).first->second;
}

void SnippetWords::begin_search()
{
    id_of_.clear();
    search_++;
    if (words_.size() >= CACHE_MAX)
        words_.clear();
}

int SnippetWords::id(Word &w)
{
    if (w.id < 0 || w.search != search_) {
        const std::string &id_key = w.key.empty() ? w.plain : w.key;
        w.id = id_of_.emplace(id_key, static_cast<int>(id_of_.size()))
                   .first->second;
        w.search = search_;
    }
    return w.id;
}

void SnippetTerms::add_term(const std::string &term)
{
    if (term.empty() || term[0] == 'X' || term[0] == 'Q')
        return;
    if (term[0] == 'Z') {
        size_t p = 1;
        while (p < term.size() && term[p] >= 'A' && term[p] <= 'Z')
            p++;
        if (p < term.size())
            keys.insert(term.substr(p));
        return;
    }
    size_t p = 0;
    while (p < term.size() && term[p] >= 'A' && term[p] <= 'Z')
        p++;
    if (p < term.size())
        surfaces.insert(term.substr(p));
}

void make_snippet(Analyzer &an, std::string text, TextChunks *more,
                  const SnippetTerms &terms, unsigned chars, bool paged,
                  SnippetWords &words, Snippet &out)
{
    out.html.clear();
    out.page = 0;
    std::vector<Match> matches;
    size_t nids = 0;
    unsigned first_page = 1; /* the page text starts on */
    bool skipped = false;    /* chunks before text were passed over */
    if (terms.empty() && text.empty() && more)
        more->next(text); /* a listing: the start of the text */
    if (!terms.empty()) {
        /* Until the first match, chunks whose filter holds none of the
         * words are passed over (not with wildcards: a filter knows whole
         * words only). */
        std::vector<std::string> wanted;
        bool filtered = terms.prefixes.empty();
        if (filtered) {
            wanted.assign(terms.keys.begin(), terms.keys.end());
            for (const std::string &s : terms.surfaces)
                wanted.push_back(all_digits(s) ? s : an.key(s));
        }
        /* Chunk after chunk (they end on white space, so no word spans
         * two) until the scan has seen enough. */
        Collector c(an, terms, words);
        size_t done_b = 0, done_c = 0;
        for (;;) {
            /* Not stopped, the whole piece was walked: its code points. */
            size_t walked =
                tokenize_wanted(text.data(), text.size(), done_b, done_c,
                                c.initials(), c.limit(), c);
            if (c.stopped)
                break;
            done_c += walked;
            done_b = text.size();
            bool look_ahead = filtered && c.matches.empty();
            if (!more || !more->next(text, look_ahead ? &wanted : nullptr))
                break;
            if (more->restarted()) {
                done_b = done_c = 0;
                first_page = more->page();
                skipped = true;
            }
        }
        matches.swap(c.matches);
        nids = words.ids();
        if (matches.empty() && (skipped || text.empty()) && more &&
            more->rewind(text)) {
            /* No match in the text (a title match): show its start. */
            first_page = 1;
            skipped = false;
        }
    }
    /* Parts of a compound come before the joined word: order by start. */
    std::stable_sort(matches.begin(), matches.end(),
                     [](const Match &a, const Match &b) {
                         return a.cs < b.cs || (a.cs == b.cs && a.ce > b.ce);
                     });

    /* The window [bi, bj) of matches: two pointers over the matches, a
     * count per distinct word. */
    size_t bi = 0, bj = 0, best_distinct = 0, best_count = 0;
    if (!matches.empty()) {
        std::vector<unsigned> count(nids, 0);
        size_t distinct = 0, j = 0;
        for (size_t i = 0; i < matches.size(); i++) {
            if (j <= i) {
                /* The window emptied: it restarts with match i. */
                j = i + 1;
                count[matches[i].id]++;
                distinct = 1;
            }
            while (j < matches.size() &&
                   matches[j].ce - matches[i].cs <= chars) {
                if (count[matches[j].id]++ == 0)
                    distinct++;
                j++;
            }
            if (distinct > best_distinct ||
                (distinct == best_distinct && j - i > best_count)) {
                best_distinct = distinct;
                best_count = j - i;
                bi = i;
                bj = j;
            }
            if (--count[matches[i].id] == 0)
                distinct--;
        }
    }

    /* Byte and character extent of the chosen matches. */
    size_t ms = 0, me = 0, mcs = 0, mce = 0;
    if (bj > bi) {
        ms = matches[bi].s;
        mcs = matches[bi].cs;
        for (size_t k = bi; k < bj; k++) {
            if (matches[k].e > me) {
                me = matches[k].e;
                mce = matches[k].ce;
            }
        }
    }
    if (bj == bi) {
        /* No match: from the first visible character of the text. */
        while (ms < text.size()) {
            size_t l;
            if (class_at(text, ms, &l) != CC_SPACE)
                break;
            ms += l;
        }
        me = ms;
    }
    size_t used = mce - mcs;
    size_t extra = chars > used ? chars - used : 0;

    /* Trailing context: two thirds of what is left, not across a page
     * break, ending on a word. */
    size_t lead_want = extra / 3;
    size_t e = me;
    size_t left = bj > bi ? extra - lead_want : chars;
    while (e < text.size() && left > 0 && text[e] != '\f') {
        size_t l;
        class_at(text, e, &l);
        e += l;
        left--;
    }
    if (e < text.size() && word_at(text, e) && word_before(text, e)) {
        size_t back = e;
        while (back > me && word_before(text, back))
            back = utf8_prev(text.data(), back);
        if (back > me)
            e = back; /* else one huge word: cut it, on a code point */
    }
    /* What the end of the text (or page) left unused goes before. */
    lead_want += left;

    /* Leading context: not across a page break, starting on a word. */
    size_t b = ms;
    if (bj > bi) {
        size_t lead = 0;
        while (b > 0 && lead < lead_want) {
            size_t p = utf8_prev(text.data(), b);
            if (text[p] == '\f')
                break;
            b = p;
            lead++;
        }
        if (b > 0 && word_before(text, b)) {
            /* Inside a word: skip to the next one. */
            size_t l;
            while (b < ms && is_word_char(class_at(text, b, &l)))
                b += l;
        }
    }
    /* Skip leading white space (and page breaks: the snippet's page is the
     * page of its first visible character). */
    while (b < e) {
        size_t l;
        if (class_at(text, b, &l) != CC_SPACE)
            break;
        b += l;
    }

    /* Trim trailing white space. */
    while (e > b) {
        size_t p = utf8_prev(text.data(), e);
        size_t l;
        if (class_at(text, p, &l) != CC_SPACE)
            break;
        e = p;
    }

    std::vector<std::pair<size_t, size_t>> marks;
    for (const Match &m : matches) {
        if (m.s < b || m.e > e)
            continue;
        if (!marks.empty() && m.s < marks.back().second)
            marks.back().second = std::max(marks.back().second, m.e);
        else
            marks.emplace_back(m.s, m.e);
    }

    size_t before = b;
    while (before > 0) {
        size_t p = utf8_prev(text.data(), before), l;
        if (class_at(text, p, &l) != CC_SPACE)
            break;
        before = p;
    }
    bool cut_start = before > 0 || skipped;
    size_t after = e;
    while (after < text.size()) {
        size_t l;
        if (class_at(text, after, &l) != CC_SPACE)
            break;
        after += l;
    }
    bool cut_end = after < text.size();
    if (b >= e) {
        out.html.clear();
    } else {
        render(text, b, e, marks, cut_start, cut_end, out.html);
    }
    if (paged || first_page > 1 || text.find('\f') != std::string::npos)
        out.page = first_page + static_cast<unsigned>(
                           std::count(text.begin(), text.begin() + b, '\f'));
}

} // namespace fouille
