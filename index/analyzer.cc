/* analyzer.cc -- tokenizer, folding, stem keys and query normalisation. */
#include "analyzer.h"

#include "stem.h"
#include "utf8.h"

#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace fouille
{

namespace
{

/* Keys cached per handle: enough for the working vocabulary of a batch of
 * documents, small enough (a few MB) to be cleared without regret. */
constexpr size_t KEY_CACHE_MAX = 50000;

struct Span {
    size_t s, e, cs, ce;
};

inline char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* Class of the code point at text[i], with its length. */
inline CharClass class_at(const char *text, size_t len, size_t i, size_t *cplen,
                          int32_t *cpout = nullptr)
{
    int32_t cp;
    *cplen = utf8_decode(text + i, len - i, &cp);
    if (cpout)
        *cpout = cp;
    return char_class(cp);
}

/* What the tokenizer's fast paths need to know of a byte: an ASCII
 * letter or digit, another ASCII byte, or the start of a longer UTF-8
 * sequence (decoded on the slow path). */
enum ByteKind : unsigned char {
    B_OTHER = 0,
    B_LETTER = 1,
    B_DIGIT = 2,
    B_HIGH = 4
};

struct ByteKinds {
    unsigned char k[256];
    constexpr ByteKinds() : k()
    {
        for (int b = 0; b < 256; b++) {
            if (b >= 0x80)
                k[b] = B_HIGH;
            else if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
                k[b] = B_LETTER;
            else if (b >= '0' && b <= '9')
                k[b] = B_DIGIT;
            else
                k[b] = B_OTHER;
        }
    }
};
constexpr ByteKinds BYTE_KINDS;

inline unsigned char byte_kind(char c)
{
    return BYTE_KINDS.k[static_cast<unsigned char>(c)];
}

/* Walk one run of word characters starting at text[i] (a word start).
 * Returns its end; *last_letter tells whether its last base character is a
 * letter (not a digit), *mixed whether it holds both letters and digits.
 * *cps receives its length in code points. */
size_t scan_word(const char *text, size_t len, size_t i, bool *last_letter,
                 size_t *cps, bool *mixed)
{
    /* Locals, not the out-parameters: a store through them could alias
     * the text, and the loop would reload everything each time. */
    size_t l = 1, n = 1;
    CharClass cc;
    unsigned last = byte_kind(text[i]);
    if (last == B_HIGH) {
        cc = class_at(text, len, i, &l);
        last = cc == CC_LETTER ? B_LETTER : B_DIGIT;
    }
    unsigned seen = last;
    i += l;
    while (i < len) {
        /* ASCII: letters and digits are the only word characters; a run
         * of them costs a table lookup a byte. */
        unsigned k = byte_kind(text[i]);
        if (k != B_HIGH) {
            if (k == B_OTHER)
                break;
            size_t from = i;
            do {
                last = k;
                seen |= k;
                i++;
            } while (i < len &&
                     ((k = byte_kind(text[i])) & (B_LETTER | B_DIGIT)));
            n += i - from;
            continue;
        }
        cc = class_at(text, len, i, &l);
        if (!is_word_char(cc))
            break;
        if (cc != CC_MARK) {
            last = cc == CC_LETTER ? B_LETTER : B_DIGIT;
            seen |= last;
        }
        i += l;
        n++;
    }
    *last_letter = last == B_LETTER;
    *mixed = seen == (B_LETTER | B_DIGIT);
    *cps = n;
    return i;
}

/* Cut a run that mixes letters and digits where one gives way to the
 * other ("e2fsck": e, 2, fsck). Returns the number of spans written (at
 * most max; the last one takes the rest of the run). */
unsigned split_mixed(const char *text, size_t len, const Span &w, Span *out,
                     unsigned max)
{
    unsigned n = 0;
    Span cur{w.s, w.s, w.cs, w.cs};
    int kind = -1; /* 1 letter, 0 digit */
    size_t i = w.s, ci = w.cs;
    while (i < w.e) {
        size_t l;
        CharClass cc = class_at(text, len, i, &l);
        if (cc != CC_MARK) {
            int k = cc == CC_LETTER;
            if (kind >= 0 && k != kind && n + 1 < max) {
                out[n++] = cur;
                cur = Span{i, i, ci, ci};
            }
            kind = k;
        }
        i += l;
        ci++;
        cur.e = i;
        cur.ce = ci;
    }
    out[n++] = cur;
    return n;
}

/* If text[i] is '_', '.' or '/' followed by a word character, the length
 * of that glue (1); otherwise 0. */
size_t glue_at(const char *text, size_t len, size_t i)
{
    if (i + 1 >= len || (text[i] != '_' && text[i] != '.' && text[i] != '/'))
        return 0;
    size_t l;
    return is_word_start(class_at(text, len, i + 1, &l)) ? 1 : 0;
}

/* If text[i] is an apostrophe or a hyphen followed by a letter, return its
 * class and length; otherwise CC_OTHER. */
CharClass joiner_at(const char *text, size_t len, size_t i, size_t *jlen)
{
    if (i >= len)
        return CC_OTHER;
    unsigned char b = static_cast<unsigned char>(text[i]);
    if (b < 0x80 && b != '\'' && b != '-')
        return CC_OTHER;
    CharClass c1 = class_at(text, len, i, jlen);
    if (c1 != CC_APOS && c1 != CC_HYPHEN)
        return CC_OTHER;
    if (i + *jlen >= len)
        return CC_OTHER;
    size_t l2;
    if (class_at(text, len, i + *jlen, &l2) != CC_LETTER)
        return CC_OTHER;
    return c1;
}

} // namespace

bool is_elision(const char *s, size_t n)
{
    static const char *const words[] = {
        "l", "d",  "j",     "m",      "n",      "s",     "t",
        "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};
    if (n == 0 || n > 6)
        return false;
    char buf[8];
    for (size_t i = 0; i < n; i++) {
        if (!ascii_alnum(s[i]))
            return false;
        buf[i] = ascii_lower(s[i]);
    }
    buf[n] = '\0';
    for (const char *w : words)
        if (std::strcmp(buf, w) == 0)
            return true;
    return false;
}

size_t tokenize(const char *text, size_t len, TokenSink &sink)
{
    Span parts[MAX_COMPOUND_PARTS];
    unsigned nparts = 0;
    unsigned pos = 0;
    size_t i = 0, ci = 0;

    auto flush = [&]() -> bool {
        bool go = true;
        if (nparts == 1) {
            Token t{parts[0].s, parts[0].e, parts[0].cs,  parts[0].ce,
                    pos,        pos,        Token::SIMPLE};
            pos++;
            go = sink.token(text, t);
        } else {
            unsigned first = pos;
            for (unsigned k = 0; go && k < nparts; k++) {
                Token t{parts[k].s, parts[k].e, parts[k].cs, parts[k].ce,
                        pos,        pos,        Token::PART};
                pos++;
                go = sink.token(text, t);
            }
            if (go) {
                Token t{parts[0].s,   parts[nparts - 1].e,
                        parts[0].cs,  parts[nparts - 1].ce,
                        first,        pos - 1,
                        Token::JOINED};
                go = sink.token(text, t);
            }
        }
        nparts = 0;
        return go;
    };

    while (i < len) {
        /* Between words, ASCII bytes are told apart without decoding:
         * most of the text is. */
        unsigned k = byte_kind(text[i]);
        if (k == B_OTHER) {
            size_t from = i;
            do
                i++;
            while (i < len && byte_kind(text[i]) == B_OTHER);
            ci += i - from;
            continue;
        }
        if (k == B_HIGH) {
            size_t l;
            if (!is_word_start(class_at(text, len, i, &l))) {
                i += l;
                ci++;
                continue;
            }
        }
        bool last_letter, mixed;
        size_t cps;
        size_t end = scan_word(text, len, i, &last_letter, &cps, &mixed);
        Span w{i, end, ci, ci + cps};
        i = end;
        ci += cps;
        size_t jl;
        CharClass j = joiner_at(text, len, i, &jl);
        if (j == CC_APOS && nparts == 0 && !mixed &&
            is_elision(text + w.s, w.e - w.s)) {
            i += jl; /* drop "l'" and go on with the next word */
            ci++;
            continue;
        }
        if (mixed) {
            Span sub[MAX_COMPOUND_PARTS];
            if (nparts > 0 && !flush())
                return ci;
            nparts = split_mixed(text, len, w, sub, MAX_COMPOUND_PARTS);
            std::copy(sub, sub + nparts, parts);
        } else {
            parts[nparts++] = w;
        }
        size_t gl = glue_at(text, len, i);
        if (nparts < MAX_COMPOUND_PARTS &&
            ((j == CC_HYPHEN && last_letter) || gl)) {
            i += gl ? gl : jl;
            ci++;
            continue;
        }
        if (!flush())
            return ci;
    }
    if (nparts > 0)
        flush();
    return ci;
}

namespace
{

/* Append to out the word characters of s (letters, digits, marks),
 * expanding the ligatures œ and æ. */
void keep_word_chars(const char *s, size_t n, std::string &out)
{
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (cp == 0x153)
            out += "oe";
        else if (cp == 0xE6)
            out += "ae";
        else if (is_word_char(char_class(cp)))
            out.append(s + i, l);
        i += l;
    }
}

bool map_utf8(const char *s, size_t n, int options, std::string &out)
{
    utf8proc_uint8_t *dst = nullptr;
    utf8proc_ssize_t r =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t *>(s),
                     static_cast<utf8proc_ssize_t>(n), &dst,
                     static_cast<utf8proc_option_t>(options));
    if (r < 0) {
        std::free(dst);
        return false;
    }
    out.clear();
    keep_word_chars(reinterpret_cast<const char *>(dst), static_cast<size_t>(r),
                    out);
    std::free(dst);
    return true;
}

bool is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (static_cast<unsigned char>(s[i]) >= 0x80)
            return false;
    return true;
}

} // namespace

std::string strip_marks(const std::string &lower)
{
    if (is_ascii(lower.data(), lower.size()))
        return lower;
    std::string out;
    if (!map_utf8(lower.data(), lower.size(),
                  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK, out))
        return lower;
    return out;
}

bool fold(const char *s, size_t n, std::string &lower, std::string &plain)
{
    lower.clear();
    if (is_ascii(s, n)) {
        for (size_t i = 0; i < n; i++)
            if (ascii_alnum(s[i]))
                lower += ascii_lower(s[i]);
        plain = lower;
        return !lower.empty();
    }
    if (!map_utf8(s, n,
                  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                      UTF8PROC_CASEFOLD,
                  lower))
        return false;
    plain = strip_marks(lower);
    return !plain.empty();
}

bool all_digits(const std::string &plain)
{
    for (char c : plain)
        if (c < '0' || c > '9')
            return false;
    return true;
}

bool all_letters(const std::string &plain)
{
    size_t i = 0;
    while (i < plain.size()) {
        int32_t cp;
        i += utf8_decode(plain.data() + i, plain.size() - i, &cp);
        if (char_class(cp) != CC_LETTER)
            return false;
    }
    return true;
}

Analyzer::Analyzer() : keys_(KEY_CACHE_MAX), folded_(KEY_CACHE_MAX) {}

const Folded &Analyzer::folded(const std::string &raw)
{
    return folded_.get(raw, [&] {
        Folded f;
        if (!fold(raw.data(), raw.size(), f.lower, f.plain))
            f.plain.clear();
        return f;
    });
}

const std::string &Analyzer::key(const std::string &plain)
{
    return keys_.get(plain, [&] {
        return all_digits(plain) ? std::string() : light_stem(plain);
    });
}

/* ---- Queries ------------------------------------------------------------ */

namespace
{

bool is_operator(const char *s, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    for (const char *op : ops)
        if (std::strlen(op) == n && std::memcmp(op, s, n) == 0)
            return true;
    return false;
}

bool is_quote(int32_t cp)
{
    return cp == '"' || cp == 0xAB || cp == 0xBB || cp == 0x201C ||
           cp == 0x201D || cp == 0x201E || cp == 0x201F;
}

bool is_minus(int32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0x2212;
}

/* Cut s to at most max bytes without splitting a code point. */
void truncate_utf8(std::string &s, size_t max)
{
    if (s.size() <= max)
        return;
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        cut--;
    s.resize(cut);
}

} // namespace

namespace
{

/* The parts of one compound, as the indexer splits it. */
class PartSink : public TokenSink
{
  public:
    bool token(const char *, const Token &tok) override
    {
        if (tok.kind != Token::JOINED)
            parts.emplace_back(tok.start, tok.end);
        return true;
    }
    std::vector<std::pair<size_t, size_t>> parts;
};

/* Whether a compound is an acronym written with dots ("S.C.I.C."): one
 * letter a part. It is its joined word, like "SCIC". */
bool dotted_acronym(const char *s, size_t len)
{
    PartSink sink;
    tokenize(s, len, sink);
    for (const auto &p : sink.parts)
        if (p.second - p.first != 1 || !std::isalpha(
                                           static_cast<unsigned char>(s[p.first])))
            return false;
    return sink.parts.size() > 1;
}

/* Write the parts of the compound s[0..len) (at ostart..oend in the
 * query) into out as a phrase, quoted unless already in one. Returns
 * whether quotes were written. */
bool emit_parts(const char *s, size_t len, size_t ostart, size_t oend,
                bool in_phrase, NormalizedQuery &out)
{
    PartSink sink;
    tokenize(s, len, sink);
    bool quote = !in_phrase && sink.parts.size() > 1;
    std::string lower, whole;
    if (fold(s, len, lower, whole) && whole.size() <= MAX_WORD_BYTES)
        out.joined.push_back(whole);
    std::string &t = out.text;
    if (quote)
        t += '"';
    bool first = true;
    for (const auto &p : sink.parts) {
        QueryWord w;
        std::string lower;
        if (!fold(s + p.first, p.second - p.first, lower, w.plain))
            continue;
        truncate_utf8(w.plain, MAX_WORD_BYTES);
        if (lower != w.plain)
            w.lower = std::move(lower);
        w.ostart = ostart;
        w.oend = oend;
        w.op = w.star = false;
        if (!first)
            t += ' ';
        first = false;
        w.tstart = t.size();
        t += w.plain;
        out.words.push_back(std::move(w));
    }
    if (quote)
        t += '"';
    return quote;
}

} // namespace

void normalize_query(const char *q, size_t n, NormalizedQuery &out)
{
    out.text.clear();
    out.words.clear();
    out.joined.clear();
    out.ends_with_word = false;
    std::string &t = out.text;
    size_t last_word_end = static_cast<size_t>(-1); /* in q */
    bool in_phrase = false;
    bool compound_phrase = false; /* the last word became a phrase */
    size_t depth = 0;             /* open parentheses */
    out.explicit_ops = false;
    size_t i = 0;

    auto space = [&]() {
        if (!t.empty() && t.back() != ' ')
            t += ' ';
    };
    /* What the next character starts: a word, a phrase or a group. */
    auto starts_operand = [&](size_t k) {
        if (k >= n)
            return false;
        size_t l;
        int32_t cp;
        CharClass c = class_at(q, n, k, &l, &cp);
        return is_word_start(c) || is_quote(cp) || cp == '(';
    };

    while (i < n) {
        size_t l;
        int32_t cp;
        CharClass cc = class_at(q, n, i, &l, &cp);
        if (is_word_start(cc)) {
            /* A word, or a compound of words joined by hyphens. */
            size_t first = i, end = i;
            unsigned nparts = 0;
            bool dropped = false, glued = false;
            for (;;) {
                bool last_letter, mixed;
                size_t cps;
                end = scan_word(q, n, i, &last_letter, &cps, &mixed);
                size_t jl;
                CharClass j = joiner_at(q, n, end, &jl);
                if (j == CC_APOS && nparts == 0 && !mixed &&
                    is_elision(q + i, end - i)) {
                    i = end + jl;
                    dropped = true;
                    break;
                }
                nparts++;
                size_t gl = glue_at(q, n, end);
                if (gl && nparts == 1 && is_operator(q + i, end - i))
                    gl = 0; /* NEAR/3 */
                glued = glued || mixed;
                if (((j == CC_HYPHEN && last_letter) || gl) &&
                    nparts < MAX_COMPOUND_PARTS) {
                    glued = glued || gl;
                    i = end + (gl ? gl : jl);
                    continue;
                }
                i = end;
                break;
            }
            if (dropped)
                continue;
            compound_phrase = false;
            /* Glue the word to an opening quote or parenthesis, a +/-
             * operator or a field prefix; separate it from anything else
             * (a closing quote included). */
            if (!t.empty() && t.back() != ' ' && t.back() != '(' &&
                !(t.back() == '"' && in_phrase) && t.back() != '+' &&
                t.back() != '-' && t.back() != ':')
                t += ' ';
            if (glued && !dotted_acronym(q + first, end - first)) {
                /* "sshd_config", "e2fsck": the index holds the joined word
                 * only for the whole run it met ("/etc/ssh/sshd_config"
                 * joins to one word), but always its parts, side by side:
                 * look for them as a phrase. */
                compound_phrase = emit_parts(q + first, end - first, first,
                                             end, in_phrase, out);
                last_word_end = end;
                continue;
            }
            QueryWord w;
            w.ostart = first;
            w.oend = end;
            w.star = false;
            if (nparts == 1 && is_operator(q + first, end - first)) {
                w.op = true;
                out.explicit_ops = true;
                w.plain.assign(q + first, end - first);
            } else {
                w.op = false;
                std::string lower;
                if (!fold(q + first, end - first, lower, w.plain))
                    continue;
                truncate_utf8(w.plain, MAX_WORD_BYTES);
                if (lower != w.plain)
                    w.lower = std::move(lower);
            }
            w.tstart = t.size();
            t += w.plain;
            out.words.push_back(std::move(w));
            last_word_end = end;
            continue;
        }
        bool after_word = i == last_word_end && !out.words.empty();
        bool after_space =
            t.empty() || t.back() == ' ' || t.back() == '(' || t.back() == '"';
        if (is_quote(cp)) {
            if (!in_phrase && !t.empty() && t.back() != ' ' &&
                t.back() != '(' && t.back() != '+' && t.back() != '-' &&
                t.back() != ':')
                t += ' ';
            t += '"';
            in_phrase = !in_phrase;
            out.explicit_ops = true;
        } else if (cp == '(' && !in_phrase) {
            t += '(';
            depth++;
            out.explicit_ops = true;
        } else if (cp == ')' && !in_phrase && depth > 0) {
            t += ')';
            depth--;
        } else if (cp == '*' && after_word && !out.words.back().op &&
                   !compound_phrase) {
            t += '*';
            out.words.back().star = true;
        } else if (cp == ':' && after_word && !out.words.back().op &&
                   starts_operand(i + l)) {
            t += ':';
            out.explicit_ops = true;
        } else if ((cp == '+' || is_minus(cp)) && after_space &&
                   starts_operand(i + l)) {
            t += cp == '+' ? '+' : '-';
            out.explicit_ops = true;
        } else if (cp == '/' && after_word && out.words.back().op &&
                   (out.words.back().plain == "NEAR" ||
                    out.words.back().plain == "ADJ") &&
                   i + 1 < n && q[i + 1] >= '0' && q[i + 1] <= '9') {
            /* NEAR/3: the digits follow as a word of their own. */
            t += '/';
            last_word_end = static_cast<size_t>(-1);
            i += l;
            size_t d = i;
            while (d < n && q[d] >= '0' && q[d] <= '9')
                d++;
            t.append(q + i, d - i);
            i = d;
            continue;
        } else {
            space();
        }
        i += l;
    }
    out.ends_with_word = !out.words.empty() && !out.words.back().op &&
                         last_word_end == n && !compound_phrase;
    /* Text typed in a search box is repaired rather than refused: an
     * unclosed phrase or group is closed (a ')' without its '(' was
     * dropped above). */
    if (in_phrase)
        t += '"';
    t.append(depth, ')');
}

std::string literal_query(const NormalizedQuery &nq)
{
    std::string t;
    for (const QueryWord &w : nq.words) {
        if (w.op)
            continue;
        if (!t.empty())
            t += ' ';
        t += w.plain;
    }
    return t;
}

std::vector<std::pair<size_t, size_t>> query_text_words(const std::string &s)
{
    std::vector<std::pair<size_t, size_t>> words;
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80 || ascii_alnum(static_cast<char>(c))) {
            size_t b = i;
            while (i < s.size() && (static_cast<unsigned char>(s[i]) >= 0x80 ||
                                    ascii_alnum(s[i])))
                i++;
            words.emplace_back(b, i);
        } else {
            i++;
        }
    }
    return words;
}

} // namespace fouille
