/* memo.h -- what a reader learned of one revision of its index, kept for
 * the searches that follow (internal).
 *
 * Searches ask the same questions again and again: how many documents
 * hold a word (the query's expansion asks it of every form and key it
 * considers), which formats a publication exists in (grouping asks it of
 * every hit). Each answer is a B-tree lookup, and each lookup that leaves
 * the block the table's cursor holds is a read system call: most of an
 * uncached search's system calls. The answers do not change until the
 * index does, so a reader keeps them for the revision it has open.
 *
 * Only for a handle opened read-only on one local database: a writer's
 * revision stays the same while it adds documents, and the shards of a
 * stub change without telling it. Bounded: emptied when full. */
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

  private:
    void clear();

    bool on_ = false;
    std::string uuid_;
    Xapian::rev revision_ = 0;
    std::unordered_map<std::string, Xapian::doccount> termfreqs_;
    std::unordered_map<Xapian::docid, std::shared_ptr<const Group>> groups_;
};

} // namespace fouille

#endif
