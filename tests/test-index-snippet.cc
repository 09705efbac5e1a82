/* test-index-snippet.cc -- tokenize_wanted() (index/snippet.h) against
 * tokenize(): on random text made of the pieces French publications hold
 * (accents, elisions, hyphens, compounds, mixed letters and digits,
 * ligatures, combining marks, other scripts, invalid bytes, white space and
 * controls), the tokens it hands on are tokenize()'s, in order, with the
 * same offsets; none that the snippet wants is missing; it walks as many
 * code points; and a sink that stops past a limit stops at the same
 * token. */
#include "snippet.h"
#include "tap.h"
#include "utf8.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace
{

struct Seen {
    size_t start, end, cstart, cend;
    int kind;
    bool operator==(const Seen &o) const
    {
        return start == o.start && end == o.end && cstart == o.cstart &&
               cend == o.cend && kind == o.kind;
    }
};

/* Records tokens; stops at the first starting past *limit (if stop), and
 * may lower *limit to a token's start plus lower_by when it first sees a
 * wanted token, as the snippet's collector does. */
class Recorder : public fouille::TokenSink
{
  public:
    Recorder(const bool *initials, size_t *limit, bool stop, size_t lower_by)
        : initials_(initials), limit_(limit), stop_(stop), lower_by_(lower_by)
    {
    }
    bool token(const char *text, const fouille::Token &t) override
    {
        if (stop_ && t.start > *limit_) {
            stopped_at = t.start;
            return false;
        }
        Seen s{t.start, t.end, t.cstart, t.cend, static_cast<int>(t.kind)};
        all.push_back(s);
        if (wanted(text, t)) {
            if (lower_by_ && !seen_wanted && t.start + lower_by_ < *limit_)
                *limit_ = t.start + lower_by_;
            seen_wanted = true;
            wanted_tokens.push_back(s);
        }
        return true;
    }
    std::vector<Seen> all, wanted_tokens;
    size_t stopped_at = SIZE_MAX;

  private:
    /* The snippet's rule: the folded initial of the token's first
     * character is marked, or unknown. */
    bool wanted(const char *text, const fouille::Token &t) const
    {
        unsigned char b = static_cast<unsigned char>(text[t.start]);
        if (b < 0x80)
            return initials_[b >= 'A' && b <= 'Z' ? b | 0x20 : b];
        int32_t cp;
        fouille::utf8_decode(text + t.start, t.end - t.start, &cp);
        char initial = fouille::plain_initial(cp);
        return !initial || initials_[static_cast<unsigned char>(initial)];
    }
    const bool *initials_;
    size_t *limit_;
    bool stop_, seen_wanted = false;
    size_t lower_by_;
};

/* The same tokens, offsets moved as tokenize_wanted() gives them. */
class Shift : public fouille::TokenSink
{
  public:
    Shift(fouille::TokenSink &s, size_t b, size_t c) : s_(s), b_(b), c_(c) {}
    bool token(const char *text, const fouille::Token &tok) override
    {
        fouille::Token t = tok;
        t.start += b_;
        t.end += b_;
        t.cstart += c_;
        t.cend += c_;
        return s_.token(text - b_, t);
    }

  private:
    fouille::TokenSink &s_;
    size_t b_, c_;
};

uint64_t rng = 0x9E3779B97F4A7C15ull;
unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return static_cast<unsigned>(rng % n);
}

const char *const PIECES[] = {
    "foncier", "Foncière", "l'", "l\xE2\x80\x99", "d'", "qu'", "économie",
    "Économie", "tiers-lieux", "porte\xE2\x80\x90monnaie", "e2fsck", "A4",
    "3D", "2019", "n°", "1er", "œuvre", "Œuvre", "cœur", "e\xCC\x81t\xC3\xA9",
    "\xCC\x81" "a", "café", "élu", "à", "ÉTÉ", "www.fouille.fr", "mot_clé",
    "a/b", "co-construction", "-", "--", "'", "’", "«", "»", "—", "…",
    "\xC2\xA0", ",", ".", ";", ":", "!", "?", "(", ")", "\"", "λόγος",
    "Москва", "中文", "\xD9\xA3\xD9\xA4", "x\xD9\xA3",
    "\xEF\xBC\x91\xEF\xBC\x92",
    "\xF0\x9F\x98\x80", "\xFF", "\xC3", "\x80", "\xE2\x80", "\xED\xA0\x80",
    "collectivités", "SCIC", "apt-get", "Z", "zygomatique", "b2b", "B2B",
    " ", " ", " ", "  ", "\n", "\t", "\f", "\r\n", "\x01", "\x7F"};
const size_t NPIECES = sizeof PIECES / sizeof PIECES[0];

std::string random_text()
{
    std::string t;
    unsigned n = next(40);
    for (unsigned k = 0; k < n; k++)
        t += PIECES[next(NPIECES)];
    return t;
}

void random_initials(bool *initials)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::memset(initials, 0, 256);
    unsigned n = next(4);
    for (unsigned k = 0; k < n; k++) {
        const char c = letters[next(sizeof letters - 1)];
        initials[static_cast<unsigned char>(c)] = true;
    }
}

/* Whether a is a subsequence of b. */
bool subsequence(const std::vector<Seen> &a, const std::vector<Seen> &b)
{
    size_t j = 0;
    for (const Seen &s : a) {
        while (j < b.size() && !(b[j] == s))
            j++;
        if (j == b.size())
            return false;
        j++;
    }
    return true;
}

} // namespace

int main()
{
    const int ROUNDS = 20000;
    int same_walk = 0, subseq = 0, same_wanted = 0, same_stop = 0;
    int skipped_some = 0, stopped = 0;
    for (int r = 0; r < ROUNDS; r++) {
        const std::string text = random_text();
        bool initials[256];
        random_initials(initials);
        const size_t from = next(static_cast<unsigned>(text.size()) + 1);
        /* tokenize() starts afresh after a break only: start there. */
        size_t start = from;
        while (start > 0 && start < text.size() &&
               !(static_cast<unsigned char>(text[start - 1]) <= ' ' ||
                 text[start - 1] == 0x7F))
            start--;
        const size_t from_c = 7;
        const int mode = r % 3; /* no stop; fixed limit; lowered limit */
        const size_t fixed = text.empty() ? 0 : next(text.size() + 1);
        size_t limit_a = mode == 0 ? SIZE_MAX : fixed;
        size_t limit_b = limit_a;
        const size_t lower_by = mode == 2 ? 1 + next(40) : 0;

        Recorder full(initials, &limit_a, mode != 0, lower_by);
        Shift shifted(full, start, from_c);
        size_t walked_full = fouille::tokenize(
            text.data() + start, text.size() - start, shifted);
        Recorder part(initials, &limit_b, mode != 0, lower_by);
        size_t walked_part = fouille::tokenize_wanted(
            text.data(), text.size(), start, from_c, initials, &limit_b, part);

        if (full.stopped_at == SIZE_MAX)
            same_walk += walked_full == walked_part;
        else
            same_walk++;
        subseq += subsequence(part.all, full.all);
        same_wanted += part.wanted_tokens == full.wanted_tokens;
        same_stop += part.stopped_at == full.stopped_at;
        skipped_some += part.all.size() < full.all.size();
        stopped += full.stopped_at != SIZE_MAX;
        if (!(part.wanted_tokens == full.wanted_tokens) ||
            part.stopped_at != full.stopped_at)
            tap_diag("differs on round %d, %zu bytes from %zu", r, text.size(),
                     start);
    }
    tap_is_int(same_walk, ROUNDS,
               "code points walked as tokenize() walks them");
    tap_is_int(subseq, ROUNDS, "only tokenize()'s tokens, in order, offsets "
                               "and all");
    tap_is_int(same_wanted, ROUNDS, "every wanted token");
    tap_is_int(same_stop, ROUNDS, "a sink stopping past a limit stops at the "
                                  "same token");
    tap_ok(skipped_some > ROUNDS / 4, "stretches skipped in %d texts of %d",
           skipped_some, ROUNDS);
    tap_ok(stopped > ROUNDS / 4, "%d walks stopped at a limit", stopped);
    return tap_done();
}
