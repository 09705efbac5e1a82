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

/* Nouns and adjectives whose inflections no suffix rule may join without
 * joining other words (-sse / -s would join "presse" and "pres"), a
 * closed class: each form with the form whose key it takes. Participles
 * of two letters (du, lu, tu, vu) stay apart: their family would join
 * function words. */
const char *const IRREGULAR[][2] = {
    {"addenda", "addendum"}, {"basse", "bas"},       {"basses", "bas"},
    {"baux", "bail"},        {"benigne", "benin"},   {"benignes", "benin"},
    {"blanche", "blanc"},    {"blanches", "blanc"},  {"douce", "doux"},
    {"douces", "doux"},      {"epaisse", "epais"},   {"epaisses", "epais"},
    {"fausse", "faux"},      {"fausses", "faux"},    {"fol", "fou"},
    {"folle", "fou"},        {"folles", "fou"},      {"fraiche", "frais"},
    {"fraiches", "frais"},   {"franche", "franc"},   {"franches", "franc"},
    {"grasse", "gras"},      {"grasses", "gras"},    {"grosse", "gros"},
    {"grosses", "gros"},     {"ideaux", "ideal"},    {"lasse", "las"},
    {"lasses", "las"},       {"maligne", "malin"},   {"malignes", "malin"},
    {"maux", "mal"},         {"maxima", "maximum"},  {"media", "medium"},
    {"medias", "medium"},    {"minima", "minimum"},
    {"molle", "mou"},        {"molles", "mou"},      {"optima", "optimum"},
    {"penalties", "penalty"}, {"proxies", "proxy"},  {"rousse", "roux"},
    {"rousses", "roux"},     {"seche", "sec"},       {"seches", "sec"},
    {"vieil", "vieux"},      {"vieille", "vieux"},   {"vieilles", "vieux"},
};

/* The form whose key plain takes: itself but for an irregular form. */
const char *lemma_of(const std::string &plain)
{
    for (const auto &f : IRREGULAR)
        if (plain == f[0])
            return f[1];
    return plain.c_str();
}

} // namespace

std::string light_stem(const std::string &word)
{
    const std::string plain = lemma_of(word);
    if (!longer(plain, MIN_KEPT) || !ascii_word(plain))
        return plain;
    std::string w = plain;
    strip_plural(w);
    strip_feminine(w);
    normalise_ending(w);
    return w;
}

} // namespace fouille
