/* test-index-families.cc -- the French analysis holds for every word
 * family, not only for the words a test lists.
 *
 * Reads a vocabulary (the words of the text files named on the command
 * line, or a sample text of its own), asks Hunspell's French dictionary
 * for the lemma and part of speech of each word, and groups the nouns and
 * adjectives by lemma: a family is every form of the vocabulary with the
 * same lemma ("salarié", "salariée", "salariés", "salariées"). Each form
 * is folded and stemmed as the index does for a text word and for a query
 * word typed with or without accents; the family holds when all its forms
 * get one key, so that any of them finds the documents holding any other.
 *
 * Prints the share of families that hold, and the ones that do not, by
 * class. Passes when the share is at least the first argument
 * (--min=0.97); skips without Hunspell or its French dictionary. */
#include <config.h>

#include "analyzer.h"
#include "query.h"
#include "stem.h"
#include "tap.h"

#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#ifdef HAVE_HUNSPELL
#include <hunspell/hunspell.h>
#endif

namespace
{

const char SAMPLE[] =
    "Les salariés et les salariées de la coopérative, les élus et les élues "
    "des communes associées, une collectivité territoriale, des "
    "collectivités territoriales, le foncier agricole, la foncière "
    "solidaire, des fonciers, les foncières ; un acteur et une actrice, "
    "des acteurs locaux, des actrices locales, un service public, une "
    "politique publique, des marchés publics, des aides publiques ; un "
    "projet social, des projets sociaux, une économie sociale, des "
    "entreprises sociales ; un nouvel outil, un nouveau lieu, une nouvelle "
    "fiche, de nouveaux lieux, de nouvelles fiches ; un habitat coopératif, "
    "une société coopérative, des coopératives, des groupements "
    "coopératifs ; un travail, des travaux ; un territoire rural, des "
    "communes rurales, des territoires ruraux ; un citoyen, une citoyenne, "
    "des citoyens engagés, des citoyennes engagées ; un réseau national, "
    "des réseaux nationaux, une rencontre nationale ; un projet innovant, "
    "une démarche innovante ; un jardin partagé, une cuisine partagée ; un "
    "agriculteur, une agricultrice, des agriculteurs ; un bénévole actif, "
    "une bénévole active ; un lieu culturel, des lieux culturels, une "
    "action culturelle ; un directeur, une directrice ; le développement "
    "durable, des mobilités durables ; un quartier prioritaire, des "
    "quartiers prioritaires ; un français, une française, des françaises.";

class Words : public fouille::TokenSink
{
  public:
    bool token(const char *text, const fouille::Token &t) override
    {
        if (t.kind == fouille::Token::JOINED)
            return true;
        std::string lower, plain;
        if (fouille::fold(text + t.start, t.end - t.start, lower, plain) &&
            fouille::all_letters(plain) && plain.size() >= 2 &&
            lower.size() <= fouille::MAX_WORD_BYTES)
            words.insert(lower);
        return true;
    }
    std::set<std::string> words;
};

/* The key a query word gets, typed as written (accents and all) or
 * without its accents: both fold to the same plain form. */
std::string key_of(const std::string &lower)
{
    std::string l, plain;
    fouille::fold(lower.data(), lower.size(), l, plain);
    return fouille::light_stem(plain);
}

/* "po:nom", "po:adj" and "st:lemma" fields of one analysis. */
bool noun_or_adjective(const std::string &a, std::string &lemma)
{
    if (a.find("po:nom") == std::string::npos &&
        a.find("po:adj") == std::string::npos)
        return false;
    size_t st = a.find("st:");
    if (st == std::string::npos)
        return false;
    size_t end = a.find_first_of(" \t", st);
    lemma = a.substr(st + 3, end == std::string::npos ? end : end - st - 3);
    return !lemma.empty();
}

/* What the analysis is about: inflections of nouns and adjectives.
 * Left out: an infinitive (a verb; its participles are in, as
 * adjectives), lemmas of one or two letters (units and symbols: "km" and
 * "m"), and forms in which the lemma comes after a prefix (Hunspell gives
 * "centimètre" the lemma "mètre"). */
bool in_scope(const std::string &lemma, const std::string &form)
{
    std::string l = key_of(lemma), f = key_of(form);
    if (lemma.size() <= 2)
        return false;
    size_t at = f.find(l.substr(0, 3));
    return at == 0 || at == std::string::npos;
}

} // namespace

int main(int argc, char **argv)
{
    double min = 0.97;
    std::vector<std::string> files;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a.compare(0, 6, "--min=") == 0)
            min = std::stod(a.substr(6));
        else
            files.push_back(a);
    }
#ifndef HAVE_HUNSPELL
    tap_skip_all("built without Hunspell (Debian: libhunspell-dev)");
    return 0;
#else
    const char *aff = "/usr/share/hunspell/fr_FR.aff";
    const char *dic = "/usr/share/hunspell/fr_FR.dic";
    if (!std::ifstream(aff) || !std::ifstream(dic)) {
        tap_skip_all("no French Hunspell dictionary (Debian: hunspell-fr)");
        return 0;
    }
    Words vocab;
    std::string text;
    for (const std::string &f : files) {
        std::ifstream in(f, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
        fouille::tokenize(text.data(), text.size(), vocab);
    }
    if (files.empty())
        fouille::tokenize(SAMPLE, sizeof SAMPLE - 1, vocab);
    tap_ok(vocab.words.size() > 50, "a vocabulary of %zu words (%s)",
           vocab.words.size(), files.empty() ? "sample" : "files");

    Hunhandle *h = Hunspell_create(aff, dic);
    std::map<std::string, std::set<std::string>> families;
    for (const std::string &w : vocab.words) {
        char **list = nullptr;
        int n = Hunspell_analyze(h, &list, w.c_str());
        bool infinitive = false;
        for (int i = 0; i < n; i++)
            infinitive = infinitive || std::strstr(list[i], "po:infi");
        for (int i = 0; i < n && !infinitive; i++) {
            std::string lemma;
            if (noun_or_adjective(list[i], lemma) && in_scope(lemma, w))
                families[lemma].insert(w);
        }
        Hunspell_free_list(h, &list, n);
    }
    Hunspell_destroy(h);

    size_t total = 0, held = 0;
    std::vector<std::string> broken;
    for (const auto &f : families) {
        /* Function words ("un", "une") are not searched for. */
        if (f.second.size() < 2 || fouille::is_stop_word(key_of(f.first)))
            continue;
        total++;
        std::set<std::string> keys;
        for (const std::string &form : f.second)
            keys.insert(key_of(form));
        if (keys.size() == 1) {
            held++;
            continue;
        }
        std::string line = f.first + ":";
        for (const std::string &form : f.second)
            line += " " + form + "=" + key_of(form);
        broken.push_back(line);
    }
    double share = total ? double(held) / double(total) : 0;
    tap_ok(total >= 10, "%zu noun and adjective families of two forms or more",
           total);
    tap_ok(share >= min,
           "%zu of %zu families (%.2f%%) find each other whichever form is "
           "typed, with or without accents (at least %.2f%%)",
           held, total, 100 * share, 100 * min);
    for (const std::string &b : broken)
        tap_diag("apart: %s", b.c_str());
    return tap_done();
#endif
}
