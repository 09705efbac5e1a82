/* memo.cc -- see memo.h. */
#include "memo.h"

namespace fouille
{

namespace
{

/* Enough for the working vocabulary of a busy search box (a few bytes
 * of term and a count each), and for the publications its pages show. */
constexpr size_t TERMFREQS_MAX = 50000;
constexpr size_t GROUPS_MAX = 20000;

} // namespace

void ReadMemo::clear()
{
    termfreqs_.clear();
    groups_.clear();
}

void ReadMemo::check(const Xapian::Database &db, bool usable)
{
    std::string uuid;
    Xapian::rev revision = 0;
    if (usable) {
        try {
            uuid = db.get_uuid();
            revision = db.get_revision();
        } catch (const Xapian::Error &) {
            usable = false; /* not a single glass database */
        }
    }
    if (usable && on_ && uuid == uuid_ && revision == revision_)
        return;
    clear();
    on_ = usable && !uuid.empty();
    uuid_ = std::move(uuid);
    revision_ = revision;
}

Xapian::doccount ReadMemo::termfreq(const Xapian::Database &db,
                                    const std::string &term)
{
    if (!on_)
        return db.get_termfreq(term);
    auto it = termfreqs_.find(term);
    if (it != termfreqs_.end())
        return it->second;
    Xapian::doccount n = db.get_termfreq(term);
    if (termfreqs_.size() >= TERMFREQS_MAX)
        termfreqs_.clear();
    termfreqs_.emplace(term, n);
    return n;
}

std::shared_ptr<const Group> ReadMemo::group(Xapian::docid id) const
{
    if (!on_)
        return nullptr;
    auto it = groups_.find(id);
    return it != groups_.end() ? it->second : nullptr;
}

void ReadMemo::remember_group(Xapian::docid id, std::shared_ptr<const Group> g)
{
    if (!on_ || !g)
        return;
    if (groups_.size() >= GROUPS_MAX)
        groups_.clear();
    groups_[id] = std::move(g);
}

} // namespace fouille
