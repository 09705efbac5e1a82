/* query.cc -- query parsing and French expansion.
 *
 * 1. normalize_query() (analyzer.cc) folds the user's words the way the
 *    indexer does, keeping the operators Xapian::QueryParser understands.
 * 2. QueryParser parses it with a stemmer that returns the word itself and
 *    STEM_SOME, so each free word becomes a leaf "Z<plain>" (or
 *    "Z<prefix><plain>" after "title:"), words in phrases stay surface
 *    terms, and wildcards expand over surface terms.
 * 3. expand() walks the parsed tree and replaces each "Z" leaf with the
 *    word's stem key (stem.h), which every inflection of the word shares
 *    whether typed with accents or not, plus the form as typed at a lower
 *    weight so that it ranks first (word()). A word whose key the index
 *    lacks keeps its surface term. In a phrase, each surface term becomes
 *    OP_OR over the word's inflected forms found in the index (phrase()). */
#include "query.h"

#include "synonyms.h"

#include "analyzer.h"
#include "model.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace fouille
{

namespace
{

/* Wildcards and partial words expand to at most this many terms (the most
 * frequent ones). */
constexpr Xapian::termcount MAX_EXPANSION = 200;
/* Wildcards (and the partial last word) expanded per query: each walks the
 * term list under its pattern, so a query of hundreds of one-letter
 * wildcards would cost seconds and hundreds of MB. Those beyond match
 * nothing. */
constexpr unsigned MAX_WILDCARDS_PER_QUERY = 8;

/* The inflected forms of a word in a phrase: looked up for keys of at
 * least PHRASE_MIN_KEY bytes, among at most PHRASE_SCAN_MAX terms, at most
 * PHRASE_FORMS_MAX of them. */
constexpr size_t PHRASE_MIN_KEY = 3;
constexpr size_t PHRASE_SCAN_MAX = 1000;
constexpr size_t PHRASE_FORMS_MAX = 50;

/* The weight of the form typed, added to its stem key's for the documents
 * that hold it as typed: "communes" ranks documents saying "communes"
 * above those saying "communs". */
constexpr double EXACT_FORM_WEIGHT = 0.5;

/* Typo tolerance: a word of TYPO_MIN_ONE letters or more may be one edit
 * away from an index word, of TYPO_MIN_TWO or more two edits; the
 * correction weighs TYPO_WEIGHT of the typed word. */
constexpr size_t TYPO_MIN_ONE = 5;
constexpr size_t TYPO_MIN_TWO = 9;
constexpr double TYPO_WEIGHT = 0.8;

/* A query with a synonym in place of a word weighs SYNONYM_WEIGHT of the
 * query as typed; at most SYNONYM_ALTERNATIVES_MAX of them a query. */
constexpr double SYNONYM_WEIGHT = 0.4;
constexpr size_t SYNONYM_ALTERNATIVES_MAX = 8;

/* Ranking boosts (Expander::boosted): the weight of the query's words in
 * a document's title, and of its words as typed found within
 * NEAR_WINDOW_PER_WORD positions per word of each other. Proximity reads
 * positions, the dearest thing a match does: of the typed forms only (the
 * stem keys already match the other inflections), which keeps nearly all
 * of its gain (nDCG@10 0.884 against 0.887 with every inflection) for half
 * its cost. */
constexpr double TITLE_BOOST = 0.5;
constexpr double NEAR_BOOST = 0.1;
constexpr Xapian::termcount NEAR_WINDOW_PER_WORD = 4;

/* The stemmer QueryParser applies: the identity, so that a free word comes
 * out as "Z" + its plain form and expand() chooses the keys. */
class IdentityStem : public Xapian::StemImplementation
{
  public:
    std::string operator()(const std::string &word) override { return word; }
    std::string get_description() const override { return "fouille-identity"; }
};

class Expander
{
  public:
    /* The handle's memo was checked by the search that parses (run). */
    Expander(fouille_index_t *idx, bool public_only) : idx_(idx)
    {
        /* Nothing to hide in an index without private documents. */
        public_only_ = public_only && termfreq(PRIVATE_MARKER) > 0;
    }

    /* Look up words the index does not know among the words it knows
     * (typos): within one edit from 5 letters, two from 9, the first
     * letter kept, never for digits. Xapian's spelling table holds the
     * words of titles and of the start of texts (writer.cc). */
    void correct(const NormalizedQuery &nq, const std::string &user,
                 std::vector<std::pair<std::string, std::string>> &out)
    {
        for (const QueryWord &w : nq.words) {
            const std::string &p = w.plain;
            if (w.op || w.star || p.size() < TYPO_MIN_ONE ||
                !all_letters(p) || corrections_.count(p) || known(p))
                continue;
            unsigned edits = p.size() >= TYPO_MIN_TWO ? 2 : 1;
            std::string fix;
            try {
                fix = idx_->db.get_spelling_suggestion(p, edits);
            } catch (const Xapian::UnimplementedError &) {
                return; /* no spelling table on this backend */
            }
            if (fix.empty() || fix == p || fix[0] != p[0] || hidden(fix))
                continue;
            corrections_[p] = fix;
            out.emplace_back(user.substr(w.ostart, w.oend - w.ostart), fix);
        }
    }

    Xapian::Query expand(const Xapian::Query &q)
    {
        std::string prefix, plain;
        if (word_leaf(q, prefix, plain))
            return word(prefix, plain, q.get_length());
        if (rebuilt(q)) {
            std::vector<Xapian::Query> subs;
            size_t n = q.get_num_subqueries();
            subs.reserve(n);
            for (size_t i = 0; i < n; i++)
                subs.push_back(expand(q.get_subquery(i)));
            return Xapian::Query(q.get_type(), subs.begin(), subs.end());
        }
        if (q.get_type() == Xapian::Query::OP_WILDCARD)
            return wildcard(q);
        if (q.get_type() == Xapian::Query::OP_PHRASE)
            return phrase(q);
        return q;
    }

    /* Over remote shards that are best asked at the same time
     * (shards.h), look up in one exchange per shard the frequencies of
     * the terms word() will ask for. Otherwise word() asks as it goes,
     * which costs the same. */
    void prefetch(const Xapian::Query &q)
    {
        if (!idx_->shards || !idx_->shards->parallel())
            return;
        std::vector<std::pair<std::string, std::string>> words;
        collect(q, words);
        std::set<std::string> wanted;
        for (const auto &w : words) {
            wanted.insert(w.first + w.second);
            const std::string &k = idx_->analyzer.key(w.second);
            if (!k.empty())
                wanted.insert("Z" + w.first + k);
        }
        if (wanted.empty())
            return;
        std::vector<std::string> terms(wanted.begin(), wanted.end());
        std::vector<Xapian::doccount> freqs;
        idx_->shards->termfreqs(terms, freqs);
        for (size_t i = 0; i < terms.size(); i++)
            termfreq_[terms[i]] = freqs[i];
    }

    /* Whether the index knows a plain word (as a surface form or through
     * its stem key). */
    bool known(const std::string &plain)
    {
        if (termfreq(plain) > 0 && visible(plain))
            return true;
        const std::string &k = idx_->analyzer.key(plain);
        return !k.empty() && termfreq("Z" + k) > 0 && visible("Z" + k);
    }

    /* The ranking boosts of a query whose free words must all match
     * (the default): documents where the words stand near each other, in
     * any order, and documents whose title holds them rank above those
     * that scatter them over a long text. Both only add weight to
     * documents q already matches (OP_AND_MAYBE), so the set of results
     * is unchanged. */
    Xapian::Query boosted(const Xapian::Query &q, const Xapian::Query &parsed)
    {
        std::vector<std::pair<std::string, std::string>> words;
        auto add = [&](const Xapian::Query &sub) {
            std::string prefix, plain;
            if (word_leaf(sub, prefix, plain) && prefix.empty())
                words.emplace_back(prefix, plain);
        };
        std::vector<Xapian::Query> parts;
        flatten_and(parsed, parts);
        for (const Xapian::Query &p : parts)
            add(p);
        std::vector<Xapian::Query> boosts;
        std::vector<Xapian::Query> title;
        for (const auto &w : words) {
            const std::string &k = idx_->analyzer.key(w.second);
            std::string t = k.empty() ? "S" + w.second : "ZS" + k;
            if (t.size() <= MAX_TERM_BYTES && termfreq(t) > 0)
                title.emplace_back(t);
        }
        if (!title.empty())
            boosts.emplace_back(
                Xapian::Query::OP_SCALE_WEIGHT,
                Xapian::Query(Xapian::Query::OP_OR, title.begin(), title.end()),
                TITLE_BOOST);
        if (words.size() >= 2) {
            std::vector<Xapian::Query> near;
            for (const auto &w : words)
                near.emplace_back(w.second);
            Xapian::termcount window =
                static_cast<Xapian::termcount>(words.size()) *
                NEAR_WINDOW_PER_WORD;
            boosts.emplace_back(
                Xapian::Query::OP_SCALE_WEIGHT,
                Xapian::Query(Xapian::Query::OP_NEAR, near.begin(), near.end(),
                              window),
                NEAR_BOOST);
        }
        if (boosts.empty())
            return q;
        boosts.insert(boosts.begin(), q);
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, boosts.begin(),
                             boosts.end());
    }

  private:
    /* A phrase: each word stands for its inflected forms, the surface
     * terms that share its stem key, so that "épicerie solidaire" finds
     * "épiceries solidaires". A phrase whose parts are not all words is
     * left as parsed. */
    Xapian::Query phrase(const Xapian::Query &q)
    {
        std::vector<Xapian::Query> subs;
        size_t n = q.get_num_subqueries();
        for (size_t i = 0; i < n; i++) {
            const Xapian::Query &sub = q.get_subquery(i);
            Xapian::TermIterator t = sub.get_terms_begin();
            if (sub.get_type() != Xapian::Query::LEAF_TERM ||
                t == sub.get_terms_end())
                return q;
            const std::string term = *t;
            size_t p = 0;
            while (p < term.size() && term[p] >= 'A' && term[p] <= 'Z')
                p++;
            if (p == term.size())
                return q;
            std::vector<std::string> forms =
                inflections(term.substr(0, p), term.substr(p));
            if (forms.size() == 1)
                subs.emplace_back(forms[0]);
            else
                subs.emplace_back(Xapian::Query::OP_OR, forms.begin(),
                                  forms.end());
        }
        return Xapian::Query(Xapian::Query::OP_PHRASE, subs.begin(),
                             subs.end());
    }

    /* The terms <prefix><form> of the forms of a plain word in the index:
     * itself, and the surface terms with the same stem key. The stemmer
     * changes at most the last two letters of what it keeps (stem.h), so
     * every form starts with the key less those; at most PHRASE_SCAN_MAX
     * terms are looked at. */
    std::vector<std::string> inflections(const std::string &prefix,
                                         const std::string &plain)
    {
        std::set<std::string> out = {prefix + plain};
        const std::string key = idx_->analyzer.key(plain);
        if (key.size() < PHRASE_MIN_KEY)
            return {out.begin(), out.end()};
        const std::string from =
            prefix + key.substr(0, std::max(PHRASE_MIN_KEY, key.size() - 2));
        Xapian::Database &db = idx_->db;
        size_t seen = 0;
        for (Xapian::TermIterator t = db.allterms_begin(from);
             t != db.allterms_end(from) && seen < PHRASE_SCAN_MAX &&
             out.size() < PHRASE_FORMS_MAX;
             ++t, ++seen) {
            const std::string form = (*t).substr(prefix.size());
            if (idx_->analyzer.key(form) == key)
                out.insert(*t);
        }
        return {out.begin(), out.end()};
    }

    /* A leaf "Z<prefix><plain>": a free word as QueryParser left it. */
    static bool word_leaf(const Xapian::Query &q, std::string &prefix,
                          std::string &plain)
    {
        if (q.get_type() != Xapian::Query::LEAF_TERM)
            return false;
        Xapian::TermIterator t = q.get_terms_begin();
        if (t == q.get_terms_end())
            return false;
        const std::string term = *t;
        if (term.size() < 2 || term[0] != 'Z')
            return false;
        size_t p = 1;
        while (p < term.size() && term[p] >= 'A' && term[p] <= 'Z')
            p++;
        if (p == term.size())
            return false;
        prefix = term.substr(1, p - 1);
        plain = term.substr(p);
        return true;
    }

    /* Operators without a parameter can be rebuilt from their
     * subqueries; the others (PHRASE, NEAR, WILDCARD, SCALE_WEIGHT,
     * ELITE_SET, value ranges) are left untouched. */
    static bool rebuilt(const Xapian::Query &q)
    {
        switch (q.get_type()) {
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_FILTER:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_MAX: return true;
        default: return false;
        }
    }

    /* The operands of an AND, nested ANDs opened. */
    static void flatten_and(const Xapian::Query &q,
                            std::vector<Xapian::Query> &out)
    {
        if (q.get_type() != Xapian::Query::OP_AND) {
            out.push_back(q);
            return;
        }
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            flatten_and(q.get_subquery(i), out);
    }

    /* The words expand() will meet: (prefix, plain). */
    void collect(const Xapian::Query &q,
                 std::vector<std::pair<std::string, std::string>> &out)
    {
        std::string prefix, plain;
        if (word_leaf(q, prefix, plain))
            out.emplace_back(prefix, plain);
        else if (rebuilt(q))
            for (size_t i = 0; i < q.get_num_subqueries(); i++)
                collect(q.get_subquery(i), out);
    }

    /* Whether this search hides private documents (and the index has
     * some), and whether a word the spelling data offers is only in
     * documents it hides: such a word is never offered. */
  public:
    bool hiding() const { return public_only_; }
    bool hidden(const std::string &plain)
    {
        return public_only_ && !known(plain);
    }

  private:

    /* Whether a term the index holds is in a document this search may
     * see: with public_only, one not marked private. Asked only for the
     * few words a spelling correction looks at. */
    bool visible(const std::string &t)
    {
        if (!public_only_)
            return true;
        auto seen = visible_.find(t);
        if (seen != visible_.end())
            return seen->second;
        Xapian::Enquire enq(idx_->db);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                    Xapian::Query(t),
                                    Xapian::Query(PRIVATE_MARKER)));
        bool v = enq.get_mset(0, 1).size() > 0;
        visible_[t] = v;
        return v;
    }

    Xapian::doccount termfreq(const std::string &t)
    {
        auto known = termfreq_.find(t);
        return known != termfreq_.end() ? known->second
                                        : idx_->memo.termfreq(idx_->db, t);
    }

  public:
    /* A free word as typed, or with its correction (a typo). */
    Xapian::Query word(const std::string &prefix, const std::string &plain,
                       Xapian::termcount wqf)
    {
        auto fix = corrections_.find(plain);
        if (fix == corrections_.end())
            return typed_word(prefix, plain, wqf);
        return Xapian::Query(
            Xapian::Query::OP_OR, typed_word(prefix, plain, wqf),
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          typed_word(prefix, fix->second, wqf),
                          TYPO_WEIGHT));
    }

    /* The terms that tell whether a document holds the free word
     * (prefix, plain): its stem key, its surface form, and those of its
     * correction. */
    std::vector<std::string> word_terms(const std::string &prefix,
                                        const std::string &plain)
    {
        std::vector<std::string> out = {prefix + plain};
        const std::string &k = idx_->analyzer.key(plain);
        if (!k.empty())
            out.push_back("Z" + prefix + k);
        auto fix = corrections_.find(plain);
        if (fix != corrections_.end()) {
            out.push_back(prefix + fix->second);
            const std::string &fk = idx_->analyzer.key(fix->second);
            if (!fk.empty())
                out.push_back("Z" + prefix + fk);
        }
        return out;
    }

    /* The units of relaxation of a parsed query (query.h), or none when
     * it is not an AND of free words and compounds. */
    bool units(const Xapian::Query &parsed, const NormalizedQuery &nq,
               const std::string &user, std::vector<QueryUnit> &out)
    {
        if (parsed.get_type() != Xapian::Query::OP_AND)
            return false;
        /* QueryParser nests the words after a phrase: AND(PHRASE, AND(a,
         * b)). */
        std::vector<Xapian::Query> parts;
        flatten_and(parsed, parts);
        if (parts.size() < 2)
            return false;
        std::vector<bool> used(nq.words.size());
        auto typed = [&](const std::string &plain) -> std::string {
            for (size_t i = 0; i < nq.words.size(); i++)
                if (!used[i] && nq.words[i].plain == plain) {
                    used[i] = true;
                    const QueryWord &w = nq.words[i];
                    return user.substr(w.ostart, w.oend - w.ostart);
                }
            return plain;
        };
        for (const Xapian::Query &sub : parts) {
            QueryUnit u;
            std::string prefix, plain;
            if (word_leaf(sub, prefix, plain)) {
                u.typed = typed(plain);
                u.terms.push_back(word_terms(prefix, plain));
            } else if (sub.get_type() == Xapian::Query::LEAF_TERM &&
                       sub.get_terms_begin() != sub.get_terms_end()) {
                /* A number, or a word QueryParser left as it is. */
                u.typed = typed(*sub.get_terms_begin());
                u.terms.push_back({*sub.get_terms_begin()});
            } else if (sub.get_type() == Xapian::Query::OP_PHRASE) {
                for (Xapian::TermIterator t = sub.get_terms_begin();
                     t != sub.get_terms_end(); ++t) {
                    std::string part = typed(*t);
                    if (u.typed.empty())
                        u.typed = part;
                    u.terms.push_back({*t});
                }
            } else {
                return false;
            }
            u.query = expand(sub);
            out.push_back(std::move(u));
        }
        return true;
    }

  private:
    /* A free word: its stem key, which every inflection of the word
     * shares, and the form as typed, whose weight is added (scaled) to
     * the documents that hold it, so that they rank first. A word without
     * a key in the index keeps its surface term. */
    Xapian::Query typed_word(const std::string &prefix,
                             const std::string &plain, Xapian::termcount wqf)
    {
        const std::string surface = prefix + plain;
        const std::string &key = idx_->analyzer.key(plain);
        const std::string zterm = "Z" + prefix + key;
        if (key.empty() || zterm.size() > MAX_TERM_BYTES ||
            termfreq(zterm) == 0)
            return Xapian::Query(surface, wqf);
        Xapian::Query stem(zterm, wqf);
        if (termfreq(surface) == 0 || key == plain)
            return stem;
        return Xapian::Query(
            Xapian::Query::OP_AND_MAYBE, stem,
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(surface, wqf),
                          EXACT_FORM_WEIGHT));
    }

    /* Xapian 1.4 expands an OP_WILDCARD in each database on its own, with
     * that database's statistics: over shards, the weights differ from
     * one index's (and each shard keeps its own most frequent terms).
     * Expanded here, over every shard at once, it becomes the operator
     * over the same terms that Xapian builds from one index, which ranks
     * identically. The pattern is read from the description, the only
     * place Xapian 1.4 shows it ("Query(WILDCARD SYNONYM agri)"); a
     * wildcard whose description does not parse is left to Xapian. */
    Xapian::Query wildcard(const Xapian::Query &q)
    {
        const std::string d = q.get_description();
        const std::string head = "Query(WILDCARD ";
        if (d.size() <= head.size() + 1 || d.compare(0, head.size(), head) ||
            d.back() != ')')
            return q;
        const std::string rest =
            d.substr(head.size(), d.size() - head.size() - 1);
        size_t sp = rest.find(' ');
        if (sp == std::string::npos)
            return q;
        const std::string combiner = rest.substr(0, sp);
        const std::string pattern = rest.substr(sp + 1);
        Xapian::Query::op op;
        if (combiner == "SYNONYM")
            op = Xapian::Query::OP_SYNONYM;
        else if (combiner == "MAX")
            op = Xapian::Query::OP_MAX;
        else if (combiner == "OR")
            op = Xapian::Query::OP_OR;
        else
            return q;
        if (pattern.empty() || pattern.find(' ') != std::string::npos)
            return q;
        if (++wildcards_ > MAX_WILDCARDS_PER_QUERY)
            return Xapian::Query::MatchNothing;
        Xapian::Database &db = idx_->db;
        std::vector<std::pair<Xapian::doccount, std::string>> terms;
        for (Xapian::TermIterator t = db.allterms_begin(pattern);
             t != db.allterms_end(pattern); ++t)
            terms.emplace_back(t.get_termfreq(), *t);
        if (terms.size() > MAX_EXPANSION) {
            /* WILDCARD_LIMIT_MOST_FREQUENT, ties by term. */
            std::partial_sort(terms.begin(), terms.begin() + MAX_EXPANSION,
                              terms.end(), [](const auto &a, const auto &b) {
                                  return a.first != b.first
                                             ? a.first > b.first
                                             : a.second < b.second;
                              });
            terms.resize(MAX_EXPANSION);
        }
        if (terms.empty())
            return Xapian::Query::MatchNothing;
        std::vector<Xapian::Query> subs;
        subs.reserve(terms.size());
        for (const auto &t : terms)
            subs.emplace_back(t.second);
        return Xapian::Query(op, subs.begin(), subs.end());
    }

    fouille_index_t *idx_;
    std::map<std::string, std::string> corrections_; /* plain -> fix */
    /* What prefetch() looked up: term -> frequency. */
    std::map<std::string, Xapian::doccount> termfreq_;
    bool public_only_ = false;
    std::map<std::string, bool> visible_;
    unsigned wildcards_ = 0; /* expanded so far, for the per-query cap */
};

/* "Did you mean": QueryParser's corrected string, kept only for words the
 * index does not know, and written back into the user's own query (so
 * that the rest keeps its accents and case). */
std::string suggestion(const std::string &user, const NormalizedQuery &nq,
                       const std::string &corrected, Expander &ex)
{
    if (corrected.empty() || corrected == nq.text)
        return "";
    auto a = query_text_words(nq.text);
    auto b = query_text_words(corrected);
    if (a.size() != b.size())
        return ex.hiding() ? "" : corrected; /* not checked word by word */
    std::map<size_t, const QueryWord *> by_offset;
    for (const QueryWord &w : nq.words)
        by_offset[w.tstart] = &w;
    std::string out;
    size_t copied = 0;
    bool changed = false;
    for (size_t k = 0; k < a.size(); k++) {
        std::string was = nq.text.substr(a[k].first, a[k].second - a[k].first);
        std::string now =
            corrected.substr(b[k].first, b[k].second - b[k].first);
        if (was == now)
            continue;
        auto w = by_offset.find(a[k].first);
        if (w == by_offset.end() || w->second->op || ex.known(was) ||
            ex.hidden(now))
            continue;
        out.append(user, copied, w->second->ostart - copied);
        out += now;
        copied = w->second->oend;
        changed = true;
    }
    if (!changed)
        return "";
    out.append(user, copied, std::string::npos);
    return out;
}

/* Snowball's French stop list, accent-free, with the question words
 * people type in a search box ("comment", "quel", "pourquoi"), less its
 * elided letters (l', d', qu'...: normalize_query() drops those before a
 * word; alone, as in "n° 7", they are words). */
const char *const STOP_WORDS[] = {
    "a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai",
    "auraient", "aurais", "aurait", "auras", "aurez", "auriez", "aurions",
    "aurons", "auront", "aux", "avaient", "avais", "avait", "avec", "avez",
    "aviez", "avions", "avons", "ayant", "ayez", "ayons", "ce", "ceci",
    "cela", "celle", "celles", "celui", "ces", "cet", "cette", "ceux",
    "combien", "comment", "dans", "de", "des", "donc", "dont", "du",
    "elle", "elles", "en", "es", "est", "et", "etaient", "etais", "etait",
    "etant", "etes", "etiez", "etions", "eu", "eue", "eues", "eumes",
    "eurent", "eus", "eusse", "eussent", "eusses", "eussiez", "eussions",
    "eut", "eutes", "eux", "fumes", "furent", "fus", "fusse", "fussent",
    "fusses", "fussiez", "fussions", "fut", "futes", "il", "ils", "je",
    "la", "laquelle", "le", "lequel", "les", "lesquelles", "lesquels",
    "leur", "leurs", "lui", "ma", "mais", "me", "meme", "mes", "moi",
    "mon", "ne", "nos", "notre", "nous", "on", "ont", "ou", "par",
    "pour", "pourquoi", "quand", "que", "quel", "quelle", "quelles",
    "quels", "qui", "quoi", "sa", "se", "sera", "serai", "seraient",
    "serais", "serait", "seras", "serez", "seriez", "serions", "serons",
    "seront", "ses", "soi", "soient", "sois", "soit", "sommes", "son",
    "sont", "soyez", "soyons", "suis", "sur", "ta", "te", "tes", "toi",
    "ton", "tu", "un", "une", "vos", "votre", "vous", "y",
};

const Xapian::SimpleStopper &stopper()
{
    static const Xapian::SimpleStopper s(std::begin(STOP_WORDS),
                                         std::end(STOP_WORDS));
    return s;
}

} // namespace

bool is_stop_word(const std::string &plain) { return stopper()(plain); }

namespace
{

/* The query nq with each member of a synonym group it holds replaced by
 * the other members, one alternative at a time (synonyms.h): texts for
 * QueryParser, with their weights. A member must be words typed one after
 * the other outside quotes (the user's, or a compound's). A phrase
 * weighs the sum of its words: an alternative longer than the member it
 * replaces ("ESS" -> "économie sociale et solidaire") is scaled down by
 * as much, so that it stays below the words typed. */
std::vector<std::pair<std::string, double>>
synonym_texts(const fouille_synonyms &syn, const NormalizedQuery &nq,
              Analyzer &an)
{
    std::vector<std::pair<std::string, double>> out;
    const std::vector<QueryWord> &w = nq.words;
    std::vector<std::string> keys;
    for (const QueryWord &qw : w)
        keys.push_back(qw.op ? std::string() : all_digits(qw.plain)
                                                   ? qw.plain
                                                   : an.key(qw.plain));
    auto in_compound = [&](size_t i) {
        return (i > 0 && w[i - 1].ostart == w[i].ostart) ||
               (i + 1 < w.size() && w[i + 1].ostart == w[i].ostart);
    };
    for (size_t i = 0; i < w.size() && out.size() < SYNONYM_ALTERNATIVES_MAX;) {
        const fouille_synonyms::Rule *best = nullptr;
        for (const auto &r : syn.rules) {
            size_t n = r.from.size();
            if (i + n > w.size() || (best && n <= best->from.size()))
                continue;
            bool match = true;
            for (size_t k = 0; match && k < n; k++)
                match = !w[i + k].op && !w[i + k].star &&
                        !in_compound(i + k) && keys[i + k] == r.from[k];
            if (match)
                best = &r;
        }
        if (!best) {
            i++;
            continue;
        }
        const QueryWord &last = w[i + best->from.size() - 1];
        size_t from = w[i].tstart, to = last.tstart + last.plain.size();
        for (const auto &alt : best->to) {
            std::string member;
            for (const std::string &word : alt)
                member += (member.empty() ? "" : " ") + word;
            if (alt.size() > 1)
                member = "\"" + member + "\"";
            double ratio = std::min(1.0, double(best->from.size()) /
                                             double(alt.size()));
            out.emplace_back(nq.text.substr(0, from) + member +
                                 nq.text.substr(to),
                             SYNONYM_WEIGHT * ratio);
            if (out.size() >= SYNONYM_ALTERNATIVES_MAX)
                break;
        }
        i += best->from.size();
    }
    return out;
}

} // namespace

void parse_query(fouille_index_t *idx, const char *q, bool prefix_last,
                 const fouille_synonyms *syn, ParsedQuery &out,
                 bool public_only)
{
    std::string user = q ? q : "";
    NormalizedQuery nq;
    normalize_query(user.data(), user.size(), nq);
    out.wildcards.clear();
    out.suggestion.clear();
    out.units.clear();
    out.corrections.clear();
    out.joined.clear();
    if (nq.words.empty()) {
        /* Nothing to search for: "", "*", punctuation. */
        out.listing = true;
        return;
    }

    Xapian::QueryParser qp;
    qp.set_database(idx->db);
    qp.set_stemmer(Xapian::Stem(new IdentityStem));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&stopper());
    qp.set_default_op(Xapian::Query::OP_AND);
    qp.add_prefix("title", "S");
    qp.set_max_expansion(
        MAX_EXPANSION, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
        Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
    bool partial = prefix_last && nq.ends_with_word;
    unsigned flags =
        Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
        Xapian::QueryParser::FLAG_LOVEHATE |
        Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT;
    if (partial)
        flags |= Xapian::QueryParser::FLAG_PARTIAL;
    Xapian::Query parsed;
    bool repaired = false;
    try {
        parsed = qp.parse_query(nq.text, flags);
    } catch (const Xapian::QueryParserError &) {
        /* Half-typed syntax ("foncier AND", "NOT"): search its words. */
        std::string words = literal_query(nq);
        normalize_query(words.data(), words.size(), nq);
        user = words;
        repaired = true;
        partial = false;
        parsed = qp.parse_query(nq.text, 0);
    }
    if (parsed.empty()) {
        out.listing = true;
        return;
    }

    for (const QueryWord &w : nq.words)
        if (w.star)
            out.wildcards.push_back(w.plain);
    if (partial)
        out.wildcards.push_back(nq.words.back().plain);
    out.joined = nq.joined;
    Expander ex(idx, public_only);
    ex.prefetch(parsed);
    ex.correct(nq, user, out.corrections);
    if (nq.explicit_ops || !ex.units(parsed, nq, user, out.units))
        out.units.clear();
    out.query = ex.boosted(ex.expand(parsed), parsed);
    out.listing = false;
    if (syn && !nq.explicit_ops) {
        /* Synonyms: the query with a member replaced by another, each
         * weighing less than the query as typed. */
        std::vector<Xapian::Query> alts = {out.query};
        for (const auto &alt : synonym_texts(*syn, nq, idx->analyzer)) {
            try {
                alts.emplace_back(
                    Xapian::Query::OP_SCALE_WEIGHT,
                    ex.expand(qp.parse_query(
                        alt.first, flags & ~Xapian::QueryParser::FLAG_PARTIAL)),
                    alt.second);
            } catch (const Xapian::QueryParserError &) {
                /* not this alternative */
            }
        }
        if (alts.size() > 1)
            out.query = Xapian::Query(Xapian::Query::OP_OR, alts.begin(),
                                      alts.end());
    }

    /* A suggestion only ever replaces a word the index does not know:
     * when it knows them all, skip the spelling correction, which costs
     * an edit-distance walk of the spelling table per word. */
    bool unknown = false;
    for (const QueryWord &w : nq.words)
        unknown = unknown || (!w.op && !w.plain.empty() && !ex.known(w.plain));
    if (!unknown || repaired)
        return;
    try {
        qp.parse_query(nq.text,
                       flags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
        out.suggestion =
            suggestion(user, nq, qp.get_corrected_query_string(), ex);
    } catch (const Xapian::UnimplementedError &) {
        /* No spelling table on this backend. */
    }
}

} // namespace fouille

extern "C" FOUILLE_INDEX_API fouille_index_status_t
fouille_index_query_key(const char *q, char *out, size_t outlen)
{
    if (!q || !out || outlen == 0)
        return FOUILLE_INDEX_INVALID_ARGUMENT;
    out[0] = '\0';
    try {
        fouille::NormalizedQuery nq;
        fouille::normalize_query(q, strlen(q), nq);
        size_t len = 0;
        for (const fouille::QueryWord &w : nq.words) {
            if (w.op || w.plain.empty() || fouille::is_stop_word(w.plain))
                continue;
            size_t need = (len ? 1 : 0) + w.plain.size();
            if (len + need >= outlen)
                break; /* cut at a word boundary */
            if (len)
                out[len++] = ' ';
            memcpy(out + len, w.plain.data(), w.plain.size());
            len += w.plain.size();
            out[len] = '\0';
        }
        return FOUILLE_INDEX_OK;
    } catch (const std::bad_alloc &) {
        out[0] = '\0';
        return FOUILLE_INDEX_NO_MEMORY;
    } catch (...) {
        out[0] = '\0';
        return FOUILLE_INDEX_INVALID_ARGUMENT;
    }
}
