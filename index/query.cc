/* query.cc -- query parsing and French expansion.
 *
 * 1. normalize_query() (analyzer.cc) folds the user's words the way the
 *    indexer does, keeping the operators Xapian::QueryParser understands.
 * 2. QueryParser parses it with a stemmer that returns the word itself and
 *    STEM_SOME, so each free word becomes a leaf "Z<plain>" (or
 *    "Z<prefix><plain>" after "title:"), words in phrases stay surface
 *    terms, and wildcards expand over surface terms.
 * 3. expand() walks the parsed tree and replaces each "Z" leaf with
 *    OP_SYNONYM over the stem keys of the word that exist in the index:
 *    stem(plain), unaccent(stem(accented form typed)), and the keys linked
 *    to those (one hop) by the link terms the writer adds for every
 *    accented word whose two keys differ (model.h). So "foncier" (key
 *    fonci) reaches a document that only says "fonciere" (key foncier)
 *    as soon as any "foncière" in the index linked fonci and foncier.
 *    A word none of whose keys exists keeps its surface term. In a
 *    phrase, each surface term becomes OP_OR over the word's inflected
 *    forms found in the index (phrase()). */
#include "query.h"

#include "analyzer.h"
#include "model.h"

#include <algorithm>
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

/* The inflected forms of a word in a phrase: looked up under keys of at
 * least PHRASE_MIN_KEY bytes, among at most PHRASE_SCAN_MAX terms per key,
 * at most PHRASE_FORMS_MAX of them. */
constexpr size_t PHRASE_MIN_KEY = 3;
constexpr size_t PHRASE_SCAN_MAX = 1000;
constexpr size_t PHRASE_FORMS_MAX = 50;

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
    Expander(fouille_index_t *idx,
             const std::map<std::string, std::set<std::string>> &forms)
        : idx_(idx), forms_(forms)
    {
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
     * (shards.h), look up in one exchange per shard what expand() needs
     * for every word of q: the keys linked to each word's keys, then which
     * candidate keys the index holds. Otherwise word() asks as it goes,
     * which costs the same. */
    void prefetch(const Xapian::Query &q)
    {
        if (!idx_->shards || !idx_->shards->parallel())
            return;
        std::vector<std::pair<std::string, std::string>> words;
        collect(q, words);
        if (words.empty())
            return;
        std::set<std::string> from;
        for (const auto &w : words)
            for (const std::string &k : keys(w.second))
                from.insert(link_prefix(k));
        std::vector<std::string> prefixes(from.begin(), from.end());
        std::vector<std::vector<std::string>> linked;
        idx_->shards->list_terms(prefixes, linked);
        for (size_t i = 0; i < prefixes.size(); i++)
            links_[prefixes[i]] = std::move(linked[i]);
        std::set<std::string> wanted;
        for (const auto &w : words)
            for (const std::string &c : candidates(keys(w.second))) {
                std::string t = "Z" + w.first + c;
                if (t.size() <= MAX_TERM_BYTES)
                    wanted.insert(t);
            }
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
        Xapian::Database &db = idx_->db;
        if (db.get_termfreq(plain) > 0)
            return true;
        return !all_digits(plain) &&
               db.get_termfreq("Z" + idx_->analyzer.stem(plain)) > 0;
    }

  private:
    /* A phrase: each word stands for its inflected forms, the surface
     * terms whose stem is one of the word's keys or linked to them, so
     * that "épicerie solidaire" finds "épiceries solidaires". The forms
     * are looked up among the terms that start with a key (French stems
     * are prefixes of the plain forms); keys of fewer than
     * PHRASE_MIN_KEY letters keep the word as typed. A phrase whose parts
     * are not all words is left as parsed. */
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
                subs.push_back(sub);
            else
                subs.emplace_back(Xapian::Query::OP_OR, forms.begin(),
                                  forms.end());
        }
        return Xapian::Query(Xapian::Query::OP_PHRASE, subs.begin(),
                             subs.end());
    }

    /* The terms <prefix><form> of the forms of a plain word: itself, and
     * those the index holds whose stem is one of its keys. */
    std::vector<std::string> inflections(const std::string &prefix,
                                         const std::string &plain)
    {
        std::set<std::string> out = {prefix + plain};
        if (all_digits(plain))
            return {out.begin(), out.end()};
        const std::set<std::string> keys_of = candidates(keys(plain));
        Xapian::Database &db = idx_->db;
        for (const std::string &k : keys_of) {
            if (k.size() < PHRASE_MIN_KEY)
                continue;
            const std::string from = prefix + k;
            size_t seen = 0;
            for (Xapian::TermIterator t = db.allterms_begin(from);
                 t != db.allterms_end(from) && seen < PHRASE_SCAN_MAX &&
                 out.size() < PHRASE_FORMS_MAX;
                 ++t, ++seen) {
                const std::string form = (*t).substr(prefix.size());
                if (keys_of.count(idx_->analyzer.stem(form)))
                    out.insert(*t);
            }
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

    /* The stem keys of a word: of its plain form, and of each accented
     * form typed. */
    std::set<std::string> keys(const std::string &plain)
    {
        std::set<std::string> out;
        if (!all_digits(plain)) {
            out.insert(idx_->analyzer.stem(plain));
            auto f = forms_.find(plain);
            if (f != forms_.end())
                for (const std::string &lower : f->second)
                    out.insert(idx_->analyzer.keys(lower, plain).accented);
        }
        return out;
    }

    /* The keys and those linked to them. */
    std::set<std::string> candidates(const std::set<std::string> &keys)
    {
        std::set<std::string> out = keys;
        for (const std::string &k : keys) {
            const std::string from = link_prefix(k);
            auto known = links_.find(from);
            if (known != links_.end()) {
                for (const std::string &l : known->second)
                    out.insert(l.substr(from.size()));
                continue;
            }
            Xapian::Database &db = idx_->db;
            for (Xapian::TermIterator l = db.allterms_begin(from);
                 l != db.allterms_end(from); ++l)
                out.insert((*l).substr(from.size()));
        }
        return out;
    }

    Xapian::doccount termfreq(const std::string &t)
    {
        auto known = termfreq_.find(t);
        return known != termfreq_.end() ? known->second
                                        : idx_->db.get_termfreq(t);
    }

    Xapian::Query word(const std::string &prefix, const std::string &plain,
                       Xapian::termcount wqf)
    {
        std::vector<Xapian::Query> terms;
        for (const std::string &c : candidates(keys(plain))) {
            std::string t = "Z" + prefix + c;
            if (t.size() <= MAX_TERM_BYTES && termfreq(t) > 0)
                terms.emplace_back(t, wqf);
        }
        if (terms.empty())
            return Xapian::Query(prefix + plain, wqf);
        if (terms.size() == 1)
            return terms[0];
        return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(),
                             terms.end());
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
    const std::map<std::string, std::set<std::string>> &forms_;
    /* What prefetch() looked up: link prefix -> link terms, term ->
     * frequency. */
    std::map<std::string, std::vector<std::string>> links_;
    std::map<std::string, Xapian::doccount> termfreq_;
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
        return corrected;
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
        if (w == by_offset.end() || w->second->op || ex.known(was))
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

} // namespace

void parse_query(fouille_index_t *idx, const char *q, bool prefix_last,
                 ParsedQuery &out)
{
    std::string user = q ? q : "";
    NormalizedQuery nq;
    normalize_query(user.data(), user.size(), nq);
    out.wildcards.clear();
    out.suggestion.clear();
    if (nq.words.empty()) {
        /* Nothing to search for: "", "*", punctuation. */
        out.listing = true;
        return;
    }

    Xapian::QueryParser qp;
    qp.set_database(idx->db);
    qp.set_stemmer(Xapian::Stem(new IdentityStem));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
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
    Xapian::Query parsed = qp.parse_query(nq.text, flags);
    if (parsed.empty()) {
        out.listing = true;
        return;
    }

    std::map<std::string, std::set<std::string>> forms;
    for (const QueryWord &w : nq.words) {
        if (!w.op && !w.lower.empty())
            forms[w.plain].insert(w.lower);
        if (w.star)
            out.wildcards.push_back(w.plain);
    }
    if (partial)
        out.wildcards.push_back(nq.words.back().plain);
    Expander ex(idx, forms);
    ex.prefetch(parsed);
    out.query = ex.expand(parsed);
    out.listing = false;

    /* A suggestion only ever replaces a word the index does not know:
     * when it knows them all, skip the spelling correction, which costs
     * an edit-distance walk of the spelling table per word. */
    bool unknown = false;
    for (const QueryWord &w : nq.words)
        unknown = unknown || (!w.op && !w.plain.empty() && !ex.known(w.plain));
    if (!unknown)
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
