/* stem.h -- the light French stemmer of fouille's analysis (internal).
 *
 * It maps the inflections of a French noun or adjective -- singular and
 * plural, masculine and feminine -- to one key, working on the folded,
 * accent-free form of a word (analyzer.h's `plain`). Because it never
 * sees an accent, a word typed with or without accents gets the same key
 * as the text's form, whichever inflection either is: the analysis is
 * symmetric by construction, unlike Snowball's French stemmer, whose
 * suffix rules read accents (it stems "salariées" to "salari" and
 * "salariees" to "salarie").
 *
 * It is a light stemmer in the family of Savoy's (UniNE) French light
 * stemmer, rewritten for accent-free input: it removes inflection, not
 * derivation ("mobilité" and "mobile" keep different keys), and also
 * joins an infinitive in -er to its participles ("développer",
 * "développé", "développée"). The rules, in order, on a word of ASCII
 * letters (anything else is returned as it is):
 *
 *  1. plural: -aux -> -al (journaux, sociaux), other -x and a final -s
 *     (not -ss) dropped;
 *  2. feminine and participle: up to three final -e dropped (fonciere,
 *     salariee, recreee; the second e of a three-letter "nee"), then a final -s left by -se (francaise, heureuse), a
 *     doubled final consonant but s made single (nouvelle, ancienne,
 *     nette), a final -er dropped (foncier, associer);
 *  3. endings that change letters: -eau -> -el and -au -> -al (nouveau
 *     and nouvelle, tuyau and tuyaux), -ail -> -al (travail and travaux),
 *     -eur and -trice -> -eu (acteur and actrice, vendeur and vendeuse,
 *     meilleur), -v -> -f (active and actif, vive and vif), -qu -> -c
 *     and -cqu -> -c (publique and public, grecque and grec), -gu -> -g
 *     (longue and long).
 *
 * A rule applies only to words of four letters or more (so "an" and
 * "ans", "vu" and "vus" stay apart). Irregular families, which no suffix
 * rule may join without joining other words (gros and grosse: -s / -sse
 * would join "presse" and "près", "passe" and "pas"), are a closed class
 * listed form by form: doux and douce, fou and folle, blanc and blanche,
 * vieux and vieille, malin and maligne, idéal and idéaux, bail and baux,
 * mal and maux, foreign plurals (médias, maxima, proxies)... Participles
 * of two letters (du, lu, tu, vu) stay apart from their feminine and
 * plural: their families would join function words. */
#ifndef FOUILLE_INDEX_STEM_H
#define FOUILLE_INDEX_STEM_H

#include <string>

namespace fouille
{

/* The key of a plain (folded, accent-free, lower-case) word. A word that
 * holds a digit or a non-ASCII letter is its own key. */
std::string light_stem(const std::string &plain);

} // namespace fouille

#endif
