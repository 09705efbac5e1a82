/* memo.cc -- see memo.h. */
#include "memo.h"

#include "model.h"

namespace fouille
{

namespace
{

/* Enough for the working vocabulary of a busy search box (a few bytes
 * of term and a count each), and for the publications its pages show. */
constexpr size_t TERMFREQS_MAX = 50000;
constexpr size_t GROUPS_MAX = 20000;
/* Document ids up to which facet values are kept: 4 bytes per id, 16 MiB
 * at most (an id past it is read each time). */
constexpr Xapian::docid FACETS_MAX_ID = 4u << 20;
constexpr unsigned FACET_UNKNOWN = ~0u;
/* What a hash table entry costs beyond its bytes, roughly. */
constexpr size_t ENTRY_OVERHEAD = 64;

} // namespace

void ReadMemo::clear()
{
    termfreqs_.clear();
    groups_.clear();
    clear_facets();
    data_.clear();
    metadata_.clear();
    record_bytes_ = 0;
}

void ReadMemo::clear_facets()
{
    facet_of_.clear();
    facet_ids_.clear();
    facet_values_.clear();
}

unsigned ReadMemo::facet_id(const Xapian::Document &doc)
{
    const Xapian::docid id = doc.get_docid();
    const bool keep = on_ && id < FACETS_MAX_ID;
    if (keep && id < facet_of_.size() && facet_of_[id] != FACET_UNKNOWN)
        return facet_of_[id];
    std::string v = doc.get_value(SLOT_FACETS);
    auto known = facet_ids_.find(v);
    unsigned n;
    if (known != facet_ids_.end()) {
        n = known->second;
    } else {
        n = static_cast<unsigned>(facet_values_.size());
        facet_values_.push_back(v);
        facet_ids_.emplace(std::move(v), n);
    }
    if (keep) {
        if (id >= facet_of_.size())
            facet_of_.resize(id + 1, FACET_UNKNOWN);
        facet_of_[id] = n;
    }
    return n;
}

bool ReadMemo::make_room(size_t n)
{
    if (!on_ || n > record_budget_ / 16)
        return false; /* one entry must not empty the memo */
    if (record_bytes_ + n > record_budget_) {
        data_.clear();
        metadata_.clear();
        record_bytes_ = 0;
    }
    record_bytes_ += n;
    return true;
}

const std::string &ReadMemo::stored_data(const Xapian::Database &db,
                                         Xapian::docid id,
                                         std::string &scratch)
{
    if (on_) {
        auto it = data_.find(id);
        if (it != data_.end())
            return it->second;
    }
    scratch = fouille::stored_data(db.get_document(id));
    if (!make_room(scratch.size() + ENTRY_OVERHEAD))
        return scratch;
    return data_.emplace(id, scratch).first->second;
}

const std::string &ReadMemo::metadata(const Xapian::Database &db,
                                      const std::string &key,
                                      std::string &scratch)
{
    if (on_) {
        auto it = metadata_.find(key);
        if (it != metadata_.end())
            return it->second;
    }
    scratch = db.get_metadata(key);
    if (!make_room(key.size() + scratch.size() + ENTRY_OVERHEAD))
        return scratch;
    return metadata_.emplace(key, scratch).first->second;
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
