/* stem.cc -- the light French stemmer (stem.h says what each rule is
 * for). */
#include "stem.h"

#include <cstring>

namespace fouille
{

namespace
{

/* Rules keep at least this many letters of a word... */
constexpr size_t MIN_KEPT = 3;

bool ends(const std::string &w, const char *suffix)
{
    size_t n = std::strlen(suffix);
    return w.size() >= n && w.compare(w.size() - n, n, suffix) == 0;
}

/* ...and apply to words longer than min. */
bool longer(const std::string &w, size_t min) { return w.size() > min; }

void replace_end(std::string &w, size_t n, const char *with)
{
    w.resize(w.size() - n);
    w += with;
}

bool is_vowel(char c) { return std::strchr("aeiouy", c) != nullptr; }

bool ascii_word(const std::string &w)
{
    for (char c : w)
        if (c < 'a' || c > 'z')
            return false;
    return true;
}

void strip_plural(std::string &w)
{
    if (!longer(w, MIN_KEPT))
        return;
    if (ends(w, "aux") && !ends(w, "eaux") && longer(w, 4))
        replace_end(w, 3, "al");
    else if (ends(w, "x"))
        w.pop_back();
    else if (ends(w, "s") && !ends(w, "ss"))
        w.pop_back();
}

void strip_feminine(std::string &w)
{
    /* "recréée": three e; "née": a short participle. */
    for (int i = 0; i < 3 && longer(w, MIN_KEPT) && ends(w, "e"); i++)
        w.pop_back();
    if (w.size() == 3 && ends(w, "ee"))
        w.pop_back();
    if (longer(w, MIN_KEPT) && ends(w, "s") && !ends(w, "ss"))
        w.pop_back();
    if (longer(w, 4) && ends(w, "er"))
        w.resize(w.size() - 2);
    size_t n = w.size();
    if (longer(w, MIN_KEPT) && w[n - 1] == w[n - 2] && w[n - 1] != 's' &&
        !is_vowel(w[n - 1]))
        w.pop_back();
}

void normalise_ending(std::string &w)
{
    if (w.size() == 3 && ends(w, "v")) /* vive: vif */
        replace_end(w, 1, "f");
    if (!longer(w, MIN_KEPT))
        return;
    if (ends(w, "eau"))
        replace_end(w, 3, "el");
    else if (ends(w, "au"))
        replace_end(w, 2, "al");
    else if (ends(w, "ail") && longer(w, 4))
        replace_end(w, 3, "al");
    else if (ends(w, "eur") && longer(w, 4))
        replace_end(w, 3, "eu");
    else if (ends(w, "tric") && longer(w, 5))
        replace_end(w, 4, "teu");
    else if (ends(w, "v"))
        replace_end(w, 1, "f");
    else if (ends(w, "cqu")) /* grecque: grec */
        replace_end(w, 3, "c");
    else if (ends(w, "qu"))
        replace_end(w, 2, "c");
    else if (ends(w, "gu"))
        replace_end(w, 2, "g");
}

} // namespace

std::string light_stem(const std::string &plain)
{
    if (!longer(plain, MIN_KEPT) || !ascii_word(plain))
        return plain;
    std::string w = plain;
    strip_plural(w);
    strip_feminine(w);
    normalise_ending(w);
    return w;
}

} // namespace fouille
