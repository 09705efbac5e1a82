/* synonyms.h -- the synonyms of a search, expanded at query time
 * (internal; fouille-index.h documents the file format).
 *
 * Each rule reads: where the query holds the words of `from` (compared
 * by stem key, so inflections match), also search each alternative `to`,
 * as a phrase when it has several words. A group "a, b, c" is the rules
 * a => b, c; b => a, c; c => a, b. A rule "a => b" goes one way. */
#ifndef FOUILLE_INDEX_SYNONYMS_H
#define FOUILLE_INDEX_SYNONYMS_H

#include "fouille-index.h"

#include <atomic>
#include <string>
#include <vector>

struct fouille_synonyms {
    struct Rule {
        std::vector<std::string> from;            /* stem keys (or plain) */
        std::vector<std::vector<std::string>> to; /* plain words */
    };
    std::vector<Rule> rules;
    std::atomic<int> refs{1};
};

#endif
