/* search.cc -- fouille_index_search and the results accessors. */
#include "analyzer.h"
#include "docdata.h"
#include "handle.h"
#include "model.h"
#include "query.h"
#include "snippet.h"
#include "status.h"
#include "textstore.h"
#include "utf8.h"

#include <xapian.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace
{

struct Hit {
    std::string s[7];
    bool has[7] = {};
    fouille_hit_t pub{};
};
enum { H_PATH, H_TITLE, H_TYPE, H_DATE, H_MIME, H_AUTHOR, H_SNIPPET };

struct Facet {
    std::vector<std::string> values;
    std::vector<fouille_facet_t> pub;
};

} // namespace

struct fouille_results {
    uint64_t total = 0;
    std::vector<Hit> hits;
    Facet type, year;
    std::string suggestion;
    bool has_suggestion = false;
    unsigned shards_missing = 0;
};

namespace fouille
{

namespace
{

constexpr unsigned DEFAULT_LIMIT = 10;
/* Matching time allowed to one search (s): see set_time_limit below. */
constexpr double SEARCH_TIME_LIMIT_S = 1.0;
/* Documents read from remote shards at once (shards.h): their stored
 * text is held until the batch is done. */
constexpr size_t FETCH_BATCH = 20;
constexpr unsigned DEFAULT_SNIPPET = 200;

void check_filter(const char *name, const char *v)
{
    if (!v)
        return;
    size_t n = std::strlen(v);
    if (n > MAX_TERM_BYTES || !utf8_valid(v, n))
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             std::string("invalid ") + name + " filter");
}

void fill_facet(Xapian::ValueCountMatchSpy &spy, Facet &f)
{
    std::vector<std::pair<std::string, uint64_t>> v;
    for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end();
         ++it)
        v.emplace_back(*it, it.get_termfreq());
    std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    f.values.reserve(v.size());
    f.pub.reserve(v.size());
    for (auto &p : v) {
        f.values.push_back(std::move(p.first));
        f.pub.push_back(fouille_facet_t{nullptr, p.second});
    }
    for (size_t i = 0; i < f.values.size(); i++)
        f.pub[i].value = f.values[i].c_str();
}

/* The query terms a snippet may mark, found without asking the index
 * which of them each hit holds: Enquire::get_matching_terms() reads the
 * hit's whole term list, from a remote shard one round trip and every
 * term of the document per hit. A word of the text only produces terms
 * its document holds, so marking the words that produce any query term
 * marks the same words. Title terms (S..., ZS...) are the exception: the
 * text may hold a word that the title lacks; they are checked against the
 * hit's title, which is what the writer derived them from. */
class QueryTerms : public TokenSink
{
  public:
    QueryTerms(Analyzer &an, const Xapian::Query &q) : an_(an)
    {
        for (Xapian::TermIterator t = q.get_unique_terms_begin();
             t != q.get_unique_terms_end(); ++t) {
            const std::string &term = *t;
            if (term.size() > 1 && term[0] == 'S' && !upper(term[1]))
                title_surfaces_.push_back(term);
            else if (term.size() > 2 && term.compare(0, 2, "ZS") == 0 &&
                     !upper(term[2]))
                title_keys_.push_back(term);
            else
                any_.push_back(term);
        }
    }

    void fill(const std::string *title, SnippetTerms &out)
    {
        for (const std::string &t : any_)
            out.add_term(t);
        if (!title || (title_surfaces_.empty() && title_keys_.empty()))
            return;
        plains_.clear();
        keys_.clear();
        tokenize(title->data(), title->size(), *this);
        for (const std::string &t : title_surfaces_)
            if (plains_.count(t.substr(1)))
                out.add_term(t);
        for (const std::string &t : title_keys_)
            if (keys_.count(t.substr(2)))
                out.add_term(t);
    }

    bool token(const char *text, const Token &tok) override
    {
        if (!fold(text + tok.start, tok.end - tok.start, lower_, plain_) ||
            plain_.size() > MAX_WORD_BYTES)
            return true;
        plains_.insert(plain_);
        if (!all_digits(plain_)) {
            const Keys &k = an_.keys(lower_, plain_);
            keys_.insert(k.plain);
            keys_.insert(k.accented);
        }
        return true;
    }

  private:
    static bool upper(char c) { return c >= 'A' && c <= 'Z'; }

    Analyzer &an_;
    std::vector<std::string> any_, title_surfaces_, title_keys_;
    std::unordered_set<std::string> plains_, keys_;
    std::string lower_, plain_;
};

std::unique_ptr<fouille_results> run(fouille_index_t *idx,
                                     const fouille_query_t *qq)
{
    Xapian::Database &db = idx->db;
    ParsedQuery pq;
    parse_query(idx, qq->q, qq->prefix_last != 0, pq);

    std::vector<Xapian::Query> filters;
    filters.emplace_back(DOC_MARKER);
    if (qq->type && *qq->type)
        filters.emplace_back(std::string("XT") + qq->type);
    if (qq->year && *qq->year)
        filters.emplace_back(std::string("XY") + qq->year);
    if (qq->mime && *qq->mime)
        filters.emplace_back(std::string("XM") + qq->mime);
    Xapian::Query filter = filters.size() == 1
                               ? filters[0]
                               : Xapian::Query(Xapian::Query::OP_AND,
                                               filters.begin(), filters.end());
    Xapian::Query query =
        pq.listing ? filter
                   : Xapian::Query(Xapian::Query::OP_FILTER, pq.query, filter);

    Xapian::Enquire enq(db);
    enq.set_query(query);
    /* A bound on one search's matching time: past it, Xapian stops
     * checking more documents (the total becomes an estimate). */
    enq.set_time_limit(SEARCH_TIME_LIMIT_S);
    if (pq.listing || qq->sort == FOUILLE_SORT_DATE)
        enq.set_sort_by_value_then_relevance(SLOT_DATE, true);
    Xapian::ValueCountMatchSpy type_spy(SLOT_TYPE), year_spy(SLOT_YEAR);
    enq.add_matchspy(&type_spy);
    enq.add_matchspy(&year_spy);
    unsigned limit = qq->limit ? qq->limit : DEFAULT_LIMIT;
    if (limit > FOUILLE_INDEX_LIMIT_MAX)
        limit = FOUILLE_INDEX_LIMIT_MAX;
    /* Check every match, so that the total and the facets are exact. */
    Xapian::MSet mset = enq.get_mset(qq->offset, limit, db.get_doccount());

    std::unique_ptr<fouille_results> res(new fouille_results);
    res->total = mset.get_matches_estimated();
    if (!pq.suggestion.empty()) {
        res->suggestion = pq.suggestion;
        res->has_suggestion = true;
    }
    fill_facet(type_spy, res->type);
    fill_facet(year_spy, res->year);

    unsigned chars = qq->snippet_chars ? qq->snippet_chars : DEFAULT_SNIPPET;
    if (chars > FOUILLE_INDEX_SNIPPET_MAX)
        chars = FOUILLE_INDEX_SNIPPET_MAX;
    res->hits.resize(mset.size());
    /* The page's documents: from remote shards, each shard's at the same
     * time, FETCH_BATCH hits at a time (the stored text may be large);
     * otherwise one by one, after a prefetch hint (the range form:
     * Xapian 1.4.22's fetch() crashes when the page does not start at the
     * first hit). */
    std::vector<Xapian::docid> ids;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
        ids.push_back(*it);
    const bool parallel =
        idx->shards && ids.size() > 1 && idx->shards->parallel();
    if (!parallel && !mset.empty())
        mset.fetch(mset.begin(), mset.end());
    QueryTerms qterms(idx->analyzer, query);
    size_t n = 0;
    DocData d;
    std::vector<std::string> batch;
    std::string one;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it, ++n) {
        if (parallel && n % FETCH_BATCH == 0)
            idx->shards->fetch_data(
                std::vector<Xapian::docid>(
                    ids.begin() + n,
                    ids.begin() + std::min(ids.size(), n + FETCH_BATCH)),
                batch);
        else if (!parallel)
            one = it.get_document().get_data();
        const std::string &data = parallel ? batch[n % FETCH_BATCH] : one;
        if (!decode_data(data, d))
            fail(FOUILLE_INDEX_CORRUPT,
                 "document " + std::to_string(*it) + " has unreadable data");
        Hit &h = res->hits[n];
        const DocField from[] = {F_PATH, F_TITLE, F_TYPE,
                                 F_DATE, F_MIME,  F_AUTHOR};
        for (int k = 0; k < 6; k++) {
            h.has[k] = d.has[from[k]];
            h.s[k] = std::move(d.s[from[k]]);
        }
        SnippetTerms terms;
        if (!pq.listing) {
            qterms.fill(h.has[H_TITLE] ? &h.s[H_TITLE] : nullptr, terms);
            for (const std::string &w : pq.wildcards)
                terms.prefixes.push_back(w);
        }
        /* The rest of the text comes from the database that holds the
         * document: a shard's, under its own id, for a set of shards. */
        TextChunks more;
        if (d.chunks > 0) {
            Xapian::docid local = *it;
            const Xapian::Database *holder =
                idx->shards ? idx->shards->locate(*it, &local) : &idx->db;
            if (holder)
                more = TextChunks(*holder, local, d.chunks);
        }
        Snippet sn;
        make_snippet(idx->analyzer, std::move(d.s[F_TEXT]), &more, terms, chars,
                     d.pages > 0, sn);
        h.s[H_SNIPPET] = std::move(sn.html);
        h.has[H_SNIPPET] = true;
        fouille_hit_t &p = h.pub;
        p.score = it.get_percent();
        p.page = sn.page;
        p.pages = d.pages;
        p.size = d.size;
        p.flags = d.flags;
    }
    for (Hit &h : res->hits) {
        const char **ptr[] = {&h.pub.path,   &h.pub.title, &h.pub.type,
                              &h.pub.date,   &h.pub.mime,  &h.pub.author,
                              &h.pub.snippet};
        for (int k = 0; k < 7; k++)
            *ptr[k] = h.has[k] ? h.s[k].c_str() : nullptr;
    }
    return res;
}

/* A search over a stub's shards (shards.h): a shard that fails is set
 * aside (partial) or named in a NETWORK error (strict), and the search
 * runs again on the shards that answer. Each round connects every remote
 * shard afresh or sets one aside, so a few rounds are enough. */
std::unique_ptr<fouille_results> run_sharded(fouille_index_t *idx,
                                             const fouille_query_t *qq)
{
    ShardSet &shards = *idx->shards;
    shards.before_search(idx->db);
    for (size_t round = 0;; round++) {
        bool last = round > shards.size();
        try {
            std::unique_ptr<fouille_results> res = run(idx, qq);
            res->shards_missing = shards.missing();
            if (res->shards_missing)
                idx->error = shards.missing_message();
            return res;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (last)
                throw;
            shards.reopen(idx->db);
        } catch (const Xapian::NetworkError &e) {
            if (last)
                throw;
            shards.recover(e, idx->db);
        }
    }
}

} // namespace

} // namespace fouille

extern "C" {

FOUILLE_INDEX_API fouille_index_status_t fouille_index_search(
    fouille_index_t *idx, const fouille_query_t *query, fouille_results_t **out)
{
    if (out)
        *out = nullptr;
    return fouille::guard(idx, [&] {
        if (!idx || !query || !out)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT, "invalid argument");
        if (query->q) {
            size_t n = std::strlen(query->q);
            if (n > FOUILLE_INDEX_QUERY_MAX)
                fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                              "the query is too long (at most " +
                                  std::to_string(FOUILLE_INDEX_QUERY_MAX) +
                                  " bytes)");
            if (!fouille::utf8_valid(query->q, n))
                fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                              "the query is not valid UTF-8");
        }
        fouille::check_filter("type", query->type);
        fouille::check_filter("year", query->year);
        fouille::check_filter("MIME type", query->mime);
        std::unique_ptr<fouille_results> res;
        if (idx->shards) {
            res = fouille::run_sharded(idx, query);
        } else {
            try {
                res = fouille::run(idx, query);
            } catch (const Xapian::DatabaseModifiedError &) {
                /* A commit recycled blocks this reader needed: catch up
                 * with the latest revision and try once more. */
                idx->db.reopen();
                res = fouille::run(idx, query);
            }
        }
        *out = res.release();
        return FOUILLE_INDEX_OK;
    });
}

FOUILLE_INDEX_API void fouille_results_destroy(fouille_results_t *res)
{
    delete res;
}

FOUILLE_INDEX_API uint64_t fouille_results_total(const fouille_results_t *res)
{
    return res ? res->total : 0;
}

FOUILLE_INDEX_API size_t fouille_results_count(const fouille_results_t *res)
{
    return res ? res->hits.size() : 0;
}

FOUILLE_INDEX_API const fouille_hit_t *
fouille_results_hit(const fouille_results_t *res, size_t i)
{
    if (!res || i >= res->hits.size())
        return nullptr;
    return &res->hits[i].pub;
}

FOUILLE_INDEX_API const fouille_facet_t *
fouille_results_facets(const fouille_results_t *res, const char *name,
                       size_t *n)
{
    const Facet *f = nullptr;
    if (res && name && std::strcmp(name, "type") == 0)
        f = &res->type;
    else if (res && name && std::strcmp(name, "year") == 0)
        f = &res->year;
    if (n)
        *n = f ? f->pub.size() : 0;
    return f && !f->pub.empty() ? f->pub.data() : nullptr;
}

FOUILLE_INDEX_API unsigned
fouille_results_shards_missing(const fouille_results_t *res)
{
    return res ? res->shards_missing : 0;
}

FOUILLE_INDEX_API const char *
fouille_results_suggestion(const fouille_results_t *res)
{
    return res && res->has_suggestion ? res->suggestion.c_str() : nullptr;
}

} // extern "C"
