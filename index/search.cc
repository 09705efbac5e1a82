/* search.cc -- fouille_index_search and the results accessors. */
#include "analyzer.h"
#include "docdata.h"
#include "group.h"
#include "handle.h"
#include "model.h"
#include "query.h"
#include "snippet.h"
#include "status.h"
#include "textstore.h"
#include "utf8.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
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
    std::vector<std::string> missing;
    std::vector<const char *> missing_ptrs;
    std::vector<std::pair<std::string, std::string>> variants; /* path, mime */
    std::vector<fouille_variant_t> variant_pub;
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
    Facet type, year, folder;
    std::string suggestion;
    bool has_suggestion = false;
    unsigned shards_missing = 0;
    bool relaxed = false;
    std::vector<std::pair<std::string, std::string>> corrections;
    std::vector<fouille_correction_t> correction_pub;
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

/* A query of several words that matches fewer than RELAX_BELOW documents
 * is relaxed: the RELAX_CANDIDATES best documents holding any of its
 * words (more if the page asks for more) are ranked by how many words
 * they hold, then by weight. */
constexpr Xapian::doccount RELAX_BELOW = 10;
constexpr Xapian::doccount RELAX_CANDIDATES = 100;

/* A publication lists at most this many other formats. */
constexpr unsigned VARIANTS_MAX = 8;

/* One hit of the page: its document, its percentage, the words it lacks
 * (relaxed results). */
struct PageHit {
    Xapian::docid id;
    int percent;
    std::vector<std::string> missing;
    /* Other matches collapsed into this one (the publication's other
     * formats): none, and there is no variant to look up. */
    Xapian::doccount collapsed;
};

/* The BM25 weighting of every search: k1, k2, k3, b, min_normlen.
 * Documents are long and uneven (a fiche of a page, a manual of 300), so
 * length normalisation is stronger than Xapian's default (b 0.5): tuned
 * on contrib/bench/queries.tsv with contrib/bench/relevance. */
Xapian::BM25Weight weighting() { return Xapian::BM25Weight(1, 0, 1, 0.75, 0.5); }

/* Relax a query whose words all together match too few documents: rank
 * the documents that hold any of them by how many they hold, then by
 * weight. Fills page with hits offset..offset+limit and returns the
 * estimated total. */
Xapian::doccount relax(Xapian::Database &db, const ParsedQuery &pq,
                       const Xapian::Query &filter,
                       const std::vector<Xapian::docid> &all_words, bool group,
                       Xapian::MatchSpy *facets_spy, unsigned offset,
                       unsigned limit,
                       std::vector<PageHit> &page)
{
    std::vector<Xapian::Query> any;
    for (const QueryUnit &u : pq.units)
        any.push_back(u.query);
    Xapian::Enquire enq(db);
    enq.set_query(Xapian::Query(
        Xapian::Query::OP_FILTER,
        Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end()), filter));
    enq.set_weighting_scheme(weighting());
    enq.set_time_limit(SEARCH_TIME_LIMIT_S);
    if (group)
        enq.set_collapse_key(SLOT_GROUP);
    enq.add_matchspy(facets_spy);
    /* Only the candidates are checked: the total and the facets of a
     * relaxed answer are estimates. */
    Xapian::doccount want =
        std::max<Xapian::doccount>(RELAX_CANDIDATES, offset + limit);
    Xapian::MSet m = enq.get_mset(0, want, want);

    struct Candidate {
        Xapian::docid id;
        double weight;
        int percent;
        Xapian::doccount collapsed;
        unsigned held = 0;
        std::vector<bool> has;
    };
    std::vector<Candidate> c;
    for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
        c.push_back(Candidate{*it, it.get_weight(), it.get_percent(),
                              it.get_collapse_count(), 0,
                              std::vector<bool>(pq.units.size())});
    /* Which words each candidate holds: one pass over each term's posting
     * list, in docid order. */
    std::vector<size_t> by_id(c.size());
    for (size_t i = 0; i < c.size(); i++)
        by_id[i] = i;
    std::sort(by_id.begin(), by_id.end(),
              [&](size_t a, size_t b) { return c[a].id < c[b].id; });
    for (size_t u = 0; u < pq.units.size(); u++) {
        std::vector<bool> all(c.size(), true);
        for (const std::vector<std::string> &group_terms : pq.units[u].terms) {
            std::vector<bool> one(c.size(), false);
            for (const std::string &t : group_terms) {
                Xapian::PostingIterator p = db.postlist_begin(t);
                for (size_t k : by_id) {
                    if (p == db.postlist_end(t))
                        break;
                    p.skip_to(c[k].id);
                    if (p != db.postlist_end(t) && *p == c[k].id)
                        one[k] = true;
                }
            }
            for (size_t k = 0; k < c.size(); k++)
                all[k] = all[k] && one[k];
        }
        for (size_t k = 0; k < c.size(); k++) {
            c[k].has[u] = all[k];
            c[k].held += all[k];
        }
    }
    /* The documents that hold every word keep the order of the full
     * query (its boosts included). */
    auto rank = [&](Xapian::docid id) {
        auto it = std::find(all_words.begin(), all_words.end(), id);
        return it - all_words.begin();
    };
    std::stable_sort(c.begin(), c.end(),
                     [&](const Candidate &a, const Candidate &b) {
                         if (a.held != b.held)
                             return a.held > b.held;
                         return rank(a.id) < rank(b.id);
                     });
    for (size_t k = offset; k < c.size() && k < size_t(offset) + limit; k++) {
        PageHit h{c[k].id, c[k].percent, {}, c[k].collapsed};
        for (size_t u = 0; u < pq.units.size(); u++)
            if (!c[k].has[u])
                h.missing.push_back(pq.units[u].typed);
        page.push_back(std::move(h));
    }
    return std::max<Xapian::doccount>(m.get_matches_estimated(), c.size());
}

/* Whether page is in a list of pages such as "1-3,5" (F_OCR_PAGES). */
bool page_in_list(const std::string &list, unsigned page)
{
    const char *p = list.c_str();
    while (*p) {
        char *end;
        unsigned long first = std::strtoul(p, &end, 10), last = first;
        if (end == p)
            return false;
        if (*end == '-') {
            p = end + 1;
            last = std::strtoul(p, &end, 10);
            if (end == p)
                return false;
        }
        if (page >= first && page <= last)
            return true;
        p = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end)
            return false;
    }
    return false;
}

/* The format of a path: its extension, lower-cased. */
std::string format_of(const std::string &path)
{
    size_t slash = path.rfind('/'), dot = path.rfind('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return "";
    std::string ext = path.substr(dot + 1);
    for (char &ch : ext)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return ext;
}

/* The rank of a format in a preference list ("pdf, html docx"): its
 * position, or the list's length when absent. "md" and "markdown",
 * "htm" and "html" are one format. */
size_t preference(const char *prefer, std::string format)
{
    if (format == "markdown")
        format = "md";
    if (format == "htm")
        format = "html";
    size_t rank = 0;
    const char *p = prefer;
    while (p && *p) {
        while (*p == ',' || *p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if (e > p) {
            std::string f(p, e);
            for (char &ch : f)
                ch = static_cast<char>(
                    std::tolower(static_cast<unsigned char>(ch)));
            if (f == "markdown")
                f = "md";
            if (f == "htm")
                f = "html";
            if (f == format)
                return rank;
            rank++;
        }
        p = e;
    }
    return rank;
}

/* The documents of the publication of document id (group.h): from the
 * reader's memo, or read and remembered. */
std::shared_ptr<const Group> group_of(fouille_index_t *idx, Xapian::docid id)
{
    std::shared_ptr<const Group> known = idx->memo.group(id);
    if (known)
        return known;
    Xapian::Database &db = idx->db;
    auto g = std::make_shared<Group>();
    const std::string key = db.get_document(id).get_value(SLOT_GROUP);
    if (!key.empty()) {
        const std::string t = group_term(key);
        for (Xapian::PostingIterator p = db.postlist_begin(t);
             p != db.postlist_end(t) && g->size() <= VARIANTS_MAX; ++p) {
            Entry e;
            if (decode_entry(db.get_document(*p).get_value(SLOT_ENTRY), e) &&
                e.has[E_PATH])
                g->push_back(GroupMember{*p, e.s[E_PATH],
                                         e.has[E_MIME] ? e.s[E_MIME] : "",
                                         e.has[E_PRIVATE]});
        }
    }
    idx->memo.remember_group(id, g);
    return g;
}

/* The other formats of the publication of document id (out points into
 * hold). With a preference, the preferred format leads: id may change to
 * it. */
void find_variants(fouille_index_t *idx, Xapian::docid &id, const char *prefer,
                   bool public_only, std::vector<const GroupMember *> &out,
                   std::shared_ptr<const Group> &hold)
{
    hold = group_of(idx, id);
    std::vector<const GroupMember *> members;
    for (const GroupMember &m : *hold)
        if (!(public_only && m.is_private))
            members.push_back(&m);
    if (members.size() < 2)
        return;
    if (prefer && *prefer) {
        /* Ties go to the lowest docid: the same lead every time. */
        size_t current = SIZE_MAX, best = SIZE_MAX;
        Xapian::docid best_id = id;
        for (const GroupMember *m : members) {
            size_t r = preference(prefer, format_of(m->path));
            if (m->id == id)
                current = r;
            if (r < best) {
                best = r;
                best_id = m->id;
            }
        }
        if (best < current)
            id = best_id;
    }
    for (const GroupMember *m : members)
        if (m->id != id)
            out.push_back(m);
}

void check_filter(const char *name, const char *v)
{
    if (!v)
        return;
    size_t n = std::strlen(v);
    if (n > MAX_TERM_BYTES || !utf8_valid(v, n))
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             std::string("invalid ") + name + " filter");
}

/* A filter value's terms: prefix + each value (one, then many[0..n)). */
void add_any(std::vector<Xapian::Query> &filters, const char *prefix,
             const char *one, const char *const *many, size_t n)
{
    std::vector<Xapian::Query> any;
    if (one && *one)
        any.emplace_back(prefix + std::string(one));
    for (size_t i = 0; i < n; i++)
        if (*many[i])
            any.emplace_back(prefix + std::string(many[i]));
    if (any.size() == 1)
        filters.push_back(any[0]);
    else if (!any.empty())
        filters.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
}

/* "presse/2017/" or "/presse" is the folder "presse/2017" or "presse". */
std::string folder_name(const char *f)
{
    std::string s(f);
    size_t a = s.find_first_not_of('/');
    size_t b = s.find_last_not_of('/');
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

void check_values(const char *name, const char *const *v, size_t n)
{
    if (n && !v)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             std::string("invalid ") + name + " filter");
    for (size_t i = 0; i < n; i++) {
        if (!v[i])
            fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                 std::string("invalid ") + name + " filter");
        check_filter(name, v[i]);
    }
}

/* A date bound ("YYYY", "YYYY-MM" or "YYYY-MM-DD") as a SLOT_DATE key:
 * an upper bound reaches the end of its year or month. "" for NULL. */
std::string date_bound(const char *name, const char *d, bool upper)
{
    if (!d)
        return std::string();
    size_t n = std::strlen(d);
    auto digits = [&](size_t at, size_t len) {
        for (size_t i = at; i < at + len; i++)
            if (d[i] < '0' || d[i] > '9')
                return false;
        return true;
    };
    bool ok = (n == 4 || n == 7 || n == 10) && digits(0, 4) &&
              (n < 7 || (d[4] == '-' && digits(5, 2))) &&
              (n < 10 || (d[7] == '-' && digits(8, 2)));
    int month = n >= 7 ? (d[5] - '0') * 10 + d[6] - '0' : 1;
    int day = n == 10 ? (d[8] - '0') * 10 + d[9] - '0' : 1;
    if (!ok || month < 1 || month > 12 || day < 1 || day > 31)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             std::string(name) + " must be YYYY, YYYY-MM or YYYY-MM-DD");
    std::string key(d, 4);
    if (upper) {
        key += n >= 7 ? std::string(d + 5, 2) : "99";
        key += n == 10 ? std::string(d + 8, 2) : "99";
        return key;
    }
    /* A document dated "2016" or "2016-03" has the key 20160000 or
     * 20160300 and counts as the first day of its year or month: a lower
     * bound on a first day takes them in. */
    key += month == 1 && day == 1 ? std::string("00") : std::string(d + 5, 2);
    key += day == 1 ? std::string("00") : std::string(d + 8, 2);
    return key;
}

void fill_facet(std::vector<std::pair<std::string, uint64_t>> v, Facet &f);
using FacetCounts = std::vector<std::pair<std::string, uint64_t>>;

/* Counts the matches per SLOT_FACETS value, as Xapian's
 * ValueCountMatchSpy does, but reads each document's value once per
 * revision, through the reader's memo: the facets count every match, and
 * a value read is a B-tree lookup. Not for remote shards (their server
 * knows only Xapian's own spies) nor a handle without the memo. */
class FacetSpy : public Xapian::MatchSpy
{
  public:
    explicit FacetSpy(ReadMemo &memo) : memo_(memo) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        const unsigned id = memo_.facet_id(doc);
        if (id >= counts_.size())
            counts_.resize(id + 1);
        counts_[id]++;
    }
    FacetCounts counts() const
    {
        FacetCounts out;
        for (size_t id = 0; id < counts_.size(); id++)
            if (counts_[id])
                out.emplace_back(memo_.facet_value(id), counts_[id]);
        return out;
    }

  private:
    ReadMemo &memo_;
    std::vector<uint64_t> counts_;
};

/* One of the two spies, as the handle allows. */
struct Facets {
    explicit Facets(fouille_index_t *idx)
    {
        if (idx->memo.on())
            memo_spy.reset(new FacetSpy(idx->memo));
        else
            value_spy.reset(new Xapian::ValueCountMatchSpy(SLOT_FACETS));
    }
    Xapian::MatchSpy *spy()
    {
        return memo_spy ? static_cast<Xapian::MatchSpy *>(memo_spy.get())
                        : value_spy.get();
    }
    FacetCounts counts() const
    {
        if (memo_spy)
            return memo_spy->counts();
        FacetCounts out;
        for (Xapian::TermIterator it = value_spy->values_begin();
             it != value_spy->values_end(); ++it)
            out.emplace_back(*it, it.get_termfreq());
        return out;
    }
    std::unique_ptr<FacetSpy> memo_spy;
    std::unique_ptr<Xapian::ValueCountMatchSpy> value_spy;
};

/* The facets from the counts of SLOT_FACETS values, each a distinct
 * (type, year, folders) of the matches: summed per field. A folder facet
 * value is a document's first two levels ("a/b"); a top-level folder
 * counts everything below it. */
void fill_facets(const Facets &spy, fouille_results &res)
{
    std::map<std::string, uint64_t> type, year, folder;
    for (const auto &value_count : spy.counts()) {
        const std::string &v = value_count.first;
        const uint64_t n = value_count.second;
        size_t z1 = v.find('\0');
        size_t z2 = z1 == std::string::npos ? z1 : v.find('\0', z1 + 1);
        if (z2 == std::string::npos)
            continue; /* not a facet value */
        if (z1 > 0)
            type[v.substr(0, z1)] += n;
        if (z2 > z1 + 1)
            year[v.substr(z1 + 1, z2 - z1 - 1)] += n;
        std::string f = v.substr(z2 + 1);
        if (f.empty())
            continue;
        size_t slash = f.find('/');
        folder[f.substr(0, slash)] += n;
        if (slash != std::string::npos)
            folder[f] += n;
    }
    using Counts = std::vector<std::pair<std::string, uint64_t>>;
    fill_facet(Counts(type.begin(), type.end()), res.type);
    fill_facet(Counts(year.begin(), year.end()), res.year);
    fill_facet(Counts(folder.begin(), folder.end()), res.folder);
}

void fill_facet(std::vector<std::pair<std::string, uint64_t>> v, Facet &f)
{
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
        /* A title key whose body key is in the query too (the ranking's
         * title boost) marks nothing more: no need to read titles. */
        std::unordered_set<std::string> body(any_.begin(), any_.end());
        title_keys_.erase(
            std::remove_if(title_keys_.begin(), title_keys_.end(),
                           [&](const std::string &t) {
                               return body.count("Z" + t.substr(2)) > 0;
                           }),
            title_keys_.end());
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
        if (!all_digits(plain_))
            keys_.insert(an_.key(plain_));
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
    /* Once per search, before anything asks the memo. */
    idx->check_memo();
    ParsedQuery pq;
    parse_query(idx, qq->q, qq->prefix_last != 0, qq->synonyms, pq,
                qq->public_only != 0);

    std::vector<Xapian::Query> filters;
    filters.emplace_back(DOC_MARKER);
    add_any(filters, "XT", qq->type, qq->types, qq->type_count);
    add_any(filters, "XY", qq->year, qq->years, qq->year_count);
    add_any(filters, "XM", qq->mime, nullptr, 0);
    std::vector<std::string> folders;
    for (size_t i = 0; i < qq->folder_count; i++)
        folders.push_back(folder_name(qq->folders[i]));
    std::vector<const char *> folder_ptrs;
    for (const std::string &f : folders)
        folder_ptrs.push_back(f.c_str());
    add_any(filters, "XD", nullptr, folder_ptrs.data(), folder_ptrs.size());
    const std::string from = date_bound("date_from", qq->date_from, false);
    const std::string to = date_bound("date_to", qq->date_to, true);
    if (!from.empty() && !to.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, SLOT_DATE, from,
                             to);
    else if (!from.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_GE, SLOT_DATE, from);
    else if (!to.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_LE, SLOT_DATE, to);
    Xapian::Query filter = filters.size() == 1
                               ? filters[0]
                               : Xapian::Query(Xapian::Query::OP_AND,
                                               filters.begin(), filters.end());
    /* The public view: every count, facet, relaxed result and page is
     * drawn from this filter, so private documents take no part. */
    if (qq->public_only)
        filter = Xapian::Query(Xapian::Query::OP_AND_NOT, filter,
                               Xapian::Query(PRIVATE_MARKER));
    Xapian::Query query =
        pq.listing ? filter
                   : Xapian::Query(Xapian::Query::OP_FILTER, pq.query, filter);

    const bool group = !qq->no_group;
    Xapian::Enquire enq(db);
    enq.set_query(query);
    enq.set_weighting_scheme(weighting());
    if (group)
        enq.set_collapse_key(SLOT_GROUP);
    /* A bound on one search's matching time: past it, Xapian stops
     * checking more documents (the total becomes an estimate). */
    enq.set_time_limit(SEARCH_TIME_LIMIT_S);
    /* Oldest first: undated documents (no value) go last. */
    Xapian::MultiValueKeyMaker oldest_first;
    oldest_first.add_value(SLOT_DATE, false, "99999999");
    if (qq->sort == FOUILLE_SORT_DATE_ASC)
        enq.set_sort_by_key_then_relevance(&oldest_first, false);
    else if (pq.listing || qq->sort == FOUILLE_SORT_DATE)
        enq.set_sort_by_value_then_relevance(SLOT_DATE, true);
    Facets facets_spy(idx);
    enq.add_matchspy(facets_spy.spy());
    unsigned limit = qq->limit ? qq->limit : DEFAULT_LIMIT;
    if (limit > FOUILLE_INDEX_LIMIT_MAX)
        limit = FOUILLE_INDEX_LIMIT_MAX;
    /* Check every match, so that the total and the facets are exact. */
    Xapian::MSet mset = enq.get_mset(qq->offset, limit, db.get_doccount());

    std::unique_ptr<fouille_results> res(new fouille_results);
    /* Every match was checked: with collapsing, the lower bound is the
     * exact number of publications (the estimate scales it from the
     * documents seen). */
    res->total = group ? mset.get_matches_lower_bound()
                       : mset.get_matches_estimated();
    if (!pq.suggestion.empty()) {
        res->suggestion = pq.suggestion;
        res->has_suggestion = true;
    }
    res->corrections = pq.corrections;
    std::vector<PageHit> page;
    Facets rfacets_spy(idx);
    if (!pq.listing && pq.units.size() >= 2 && res->total < RELAX_BELOW &&
        qq->sort == FOUILLE_SORT_RELEVANCE) {
        /* The documents holding every word, in order: the page when it
         * holds them all, else asked again (without enq's spies). */
        std::vector<Xapian::docid> all_words;
        Xapian::MSet full = mset;
        if (qq->offset > 0 || mset.size() < res->total) {
            Xapian::Enquire first(db);
            first.set_query(query);
            first.set_weighting_scheme(weighting());
            if (group)
                first.set_collapse_key(SLOT_GROUP);
            full = first.get_mset(0, RELAX_BELOW);
        }
        for (Xapian::MSetIterator it = full.begin(); it != full.end(); ++it)
            all_words.push_back(*it);
        Xapian::doccount total =
            relax(db, pq, filter, all_words, group, rfacets_spy.spy(),
                  qq->offset, limit, page);
        if (total > res->total) {
            res->total = total;
            res->relaxed = true;
        } else {
            page.clear();
        }
    }
    if (res->relaxed) {
        fill_facets(rfacets_spy, *res);
    } else {
        fill_facets(facets_spy, *res);
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
            page.push_back(
                PageHit{*it, it.get_percent(), {}, it.get_collapse_count()});
    }
    /* One hit per publication: its other formats are variants, and the
     * preferred format leads. */
    std::vector<std::vector<const GroupMember *>> variants(page.size());
    std::vector<std::shared_ptr<const Group>> groups(page.size());
    if (group)
        for (size_t i = 0; i < page.size(); i++)
            if (page[i].collapsed > 0)
                find_variants(idx, page[i].id, qq->prefer,
                              qq->public_only != 0, variants[i], groups[i]);

    unsigned chars = qq->snippet_chars ? qq->snippet_chars : DEFAULT_SNIPPET;
    if (chars > FOUILLE_INDEX_SNIPPET_MAX)
        chars = FOUILLE_INDEX_SNIPPET_MAX;
    res->hits.resize(page.size());
    /* The page's documents: from remote shards, each shard's at the same
     * time, FETCH_BATCH hits at a time (the stored text may be large);
     * otherwise one by one. */
    std::vector<Xapian::docid> ids;
    for (const PageHit &h : page)
        ids.push_back(h.id);
    const bool parallel =
        idx->shards && ids.size() > 1 && idx->shards->parallel();
    QueryTerms qterms(idx->analyzer, query);
    SnippetWords &words = idx->snippet_words;
    words.begin_search();
    DocData d;
    std::vector<std::string> batch;
    std::string one;
    for (size_t n = 0; n < page.size(); n++) {
        const Xapian::docid id = page[n].id;
        if (parallel && n % FETCH_BATCH == 0)
            idx->shards->fetch_data(
                std::vector<Xapian::docid>(
                    ids.begin() + n,
                    ids.begin() + std::min(ids.size(), n + FETCH_BATCH)),
                batch);
        const std::string &data =
            parallel ? batch[n % FETCH_BATCH]
                     : idx->memo.stored_data(db, id, one);
        if (!decode_data(data, d))
            fail(FOUILLE_INDEX_CORRUPT,
                 "document " + std::to_string(id) + " has unreadable data");
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
            for (const std::string &w : pq.joined)
                terms.surfaces.insert(w);
        }
        /* The rest of the text comes from the database that holds the
         * document: a shard's, under its own id, for a set of shards. */
        TextChunks more;
        if (d.chunks > 0) {
            Xapian::docid local = id;
            const Xapian::Database *holder =
                idx->shards ? idx->shards->locate(id, &local) : &idx->db;
            if (holder)
                more = TextChunks(*holder, local, d.chunks,
                                  idx->shards ? nullptr : &idx->memo);
        }
        Snippet sn;
        make_snippet(idx->analyzer, std::move(d.s[F_TEXT]), &more, terms, chars,
                     d.pages > 0, words, sn);
        h.s[H_SNIPPET] = std::move(sn.html);
        h.has[H_SNIPPET] = true;
        fouille_hit_t &p = h.pub;
        p.score = page[n].percent;
        h.missing = std::move(page[n].missing);
        for (const GroupMember *v : variants[n])
            h.variants.emplace_back(v->path, v->mime);
        p.page = sn.page;
        p.pages = d.pages;
        p.size = d.size;
        p.flags = d.flags;
        if ((p.flags & FOUILLE_DOC_OCR) && d.has[F_OCR_PAGES] &&
            !page_in_list(d.s[F_OCR_PAGES], p.page ? p.page : 1))
            p.flags &= ~FOUILLE_DOC_OCR;
    }
    for (Hit &h : res->hits) {
        const char **ptr[] = {&h.pub.path,   &h.pub.title, &h.pub.type,
                              &h.pub.date,   &h.pub.mime,  &h.pub.author,
                              &h.pub.snippet};
        for (int k = 0; k < 7; k++)
            *ptr[k] = h.has[k] ? h.s[k].c_str() : nullptr;
        for (const std::string &m : h.missing)
            h.missing_ptrs.push_back(m.c_str());
        h.pub.missing = h.missing_ptrs.empty() ? nullptr : h.missing_ptrs.data();
        h.pub.missing_count = h.missing_ptrs.size();
        for (const auto &v : h.variants)
            h.variant_pub.push_back(
                fouille_variant_t{v.first.c_str(), v.second.c_str()});
        h.pub.variants = h.variant_pub.empty() ? nullptr : h.variant_pub.data();
        h.pub.variant_count = h.variant_pub.size();
    }
    for (const auto &c : res->corrections)
        res->correction_pub.push_back(
            fouille_correction_t{c.first.c_str(), c.second.c_str()});
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
        fouille::check_values("type", query->types, query->type_count);
        fouille::check_values("year", query->years, query->year_count);
        fouille::check_values("folder", query->folders, query->folder_count);
        if (query->date_from && query->date_to &&
            fouille::date_bound("date_from", query->date_from, false) >
                fouille::date_bound("date_to", query->date_to, true))
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                          "date_from is after date_to");
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
    else if (res && name && std::strcmp(name, "folder") == 0)
        f = &res->folder;
    if (n)
        *n = f ? f->pub.size() : 0;
    return f && !f->pub.empty() ? f->pub.data() : nullptr;
}

FOUILLE_INDEX_API unsigned
fouille_results_shards_missing(const fouille_results_t *res)
{
    return res ? res->shards_missing : 0;
}

FOUILLE_INDEX_API int fouille_results_relaxed(const fouille_results_t *res)
{
    return res && res->relaxed;
}

FOUILLE_INDEX_API const fouille_correction_t *
fouille_results_corrections(const fouille_results_t *res, size_t *n)
{
    if (n)
        *n = res ? res->correction_pub.size() : 0;
    return res && !res->correction_pub.empty() ? res->correction_pub.data()
                                               : nullptr;
}

FOUILLE_INDEX_API const char *
fouille_results_suggestion(const fouille_results_t *res)
{
    return res && res->has_suggestion ? res->suggestion.c_str() : nullptr;
}

} // extern "C"
