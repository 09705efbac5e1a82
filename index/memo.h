/* memo.h -- what a reader learned of one revision of its index, kept for
 * the searches that follow (internal).
 *
 * Searches ask the same questions again and again: how many documents
 * hold a word (the query's expansion asks it of every form and key it
 * considers), which formats a publication exists in (grouping asks it of
 * every hit), which facets a match counts in (every match), what a hit's
 * stored fields and text chunks hold (every page of results reads them).
 * Each answer is a B-tree lookup, and each lookup that leaves the block
 * the table's cursor holds is a read system call: most of an uncached
 * search's system calls. The answers do not change until the index does,
 * so a reader keeps them for the revision it has open.
 *
 * Only for a handle opened read-only on one local database: a writer's
 * revision stays the same while it adds documents, and the shards of a
 * stub change without telling it. Bounded, each part emptied when full:
 * words and publications by count, stored records by bytes; facets are
 * kept for document ids up to a bound. */
#ifndef FOUILLE_INDEX_MEMO_H
#define FOUILLE_INDEX_MEMO_H

#include <xapian.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fouille
{

/* A document of a publication (group.h), as find_variants needs it. */
struct GroupMember {
    Xapian::docid id;
    std::string path, mime;
    bool is_private;
};
using Group = std::vector<GroupMember>;

class ReadMemo
{
  public:
    /* Bytes of stored records (data and text chunks) kept at most. */
    static constexpr size_t RECORDS_DEFAULT = 4 << 20;
    /* 0: none kept. Set before the first search. */
    void set_record_budget(size_t bytes) { record_budget_ = bytes; }

    /* Before a search: forget everything if the database is not the
     * revision the answers were learned of (or cannot say which it is). */
    void check(const Xapian::Database &db, bool usable);

    /* db.get_termfreq(term), remembered. */
    Xapian::doccount termfreq(const Xapian::Database &db,
                              const std::string &term);

    /* The publication of document id, or null if not known yet. */
    std::shared_ptr<const Group> group(Xapian::docid id) const;
    /* Remember g as the publication of document id. Only of id: another
     * document of g is asked for itself, as its own key may differ (a
     * group past the writer's bound on same-titled documents). */
    void remember_group(Xapian::docid id, std::shared_ptr<const Group> g);

    /* Whether the memo is in use (a local reader). */
    bool on() const { return on_; }

    /* The facets value (model.h SLOT_FACETS) of doc as a number naming it,
     * remembered per document: a search counts the facets of every match.
     * Numbers keep their meaning until the next check(). */
    unsigned facet_id(const Xapian::Document &doc);
    const std::string &facet_value(unsigned id) const
    {
        return facet_values_[id];
    }

    /* Document id's stored data (model.h stored_data), remembered. The
     * reference is to the memo's copy, or to scratch when the memo keeps
     * none; it lasts until the next call. */
    const std::string &stored_data(const Xapian::Database &db,
                                   Xapian::docid id, std::string &scratch);
    /* db.get_metadata(key) (a text chunk), the same way. */
    const std::string &metadata(const Xapian::Database &db,
                                const std::string &key, std::string &scratch);

  private:
    void clear();
    void clear_facets();
    /* Room for an entry of n bytes: false if it cannot be kept. */
    bool make_room(size_t n);

    bool on_ = false;
    std::string uuid_;
    Xapian::rev revision_ = 0;
    std::unordered_map<std::string, Xapian::doccount> termfreqs_;
    std::unordered_map<Xapian::docid, std::shared_ptr<const Group>> groups_;
    size_t record_budget_ = RECORDS_DEFAULT, record_bytes_ = 0;
    std::vector<unsigned> facet_of_; /* by document id */
    std::unordered_map<std::string, unsigned> facet_ids_;
    std::vector<std::string> facet_values_;
    std::unordered_map<Xapian::docid, std::string> data_;
    std::unordered_map<std::string, std::string> metadata_;
};

} // namespace fouille

#endif
