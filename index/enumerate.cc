/* enumerate.cc -- fouille_index_foreach and fouille_index_lookup: what the
 * index holds per path, read from the SLOT_ENTRY value (one value stream
 * for a walk, no document loaded). */
#include "docdata.h"
#include "handle.h"
#include "model.h"
#include "status.h"

#include <xapian.h>

#include <cstring>

namespace fouille
{

namespace
{

void to_entry(const Entry &e, fouille_index_entry_t &out)
{
    out.path = e.get(E_PATH);
    out.signature = e.get(E_SIGNATURE);
    out.mime = e.get(E_MIME);
    out.plugin = e.get(E_PLUGIN);
    out.reason = e.kind == Entry::DOCUMENT ? nullptr : e.get(E_REASON);
    if (e.kind != Entry::DOCUMENT && !out.reason)
        out.reason = "failed";
    out.title = e.get(E_TITLE);
    out.private_doc = e.kind != Entry::FAILURE && e.has[E_PRIVATE];
}

[[noreturn]] void corrupt_entry(Xapian::docid did)
{
    fail(FOUILLE_INDEX_CORRUPT,
         "document " + std::to_string(did) + " has an unreadable entry value");
}

} // namespace

} // namespace fouille

extern "C" {

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_foreach(fouille_index_t *idx,
                      int (*cb)(const fouille_index_entry_t *entry, void *ctx),
                      void *ctx, int *cb_result)
{
    if (cb_result)
        *cb_result = 0;
    return fouille::guard(idx, [&] {
        if (!idx || !cb)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT, "invalid argument");
        fouille::Entry e;
        fouille_index_entry_t entry;
        Xapian::ValueIterator end =
            idx->db.valuestream_end(fouille::SLOT_ENTRY);
        for (Xapian::ValueIterator it =
                 idx->db.valuestream_begin(fouille::SLOT_ENTRY);
             it != end; ++it) {
            if (!fouille::decode_entry(*it, e))
                fouille::corrupt_entry(it.get_docid());
            fouille::to_entry(e, entry);
            int r = cb(&entry, ctx);
            if (r) {
                if (cb_result)
                    *cb_result = r;
                break;
            }
        }
        return FOUILLE_INDEX_OK;
    });
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_lookup(fouille_index_t *idx, const char *path,
                     int (*cb)(const fouille_index_entry_t *entry, void *ctx),
                     void *ctx, int *found)
{
    if (found)
        *found = 0;
    return fouille::guard(idx, [&] {
        if (!idx || !path || !*path)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT, "invalid argument");
        std::string qterm = fouille::id_term(path);
        Xapian::PostingIterator end = idx->db.postlist_end(qterm);
        for (Xapian::PostingIterator it = idx->db.postlist_begin(qterm);
             it != end; ++it) {
            Xapian::Document doc = idx->db.get_document(*it);
            fouille::Entry e;
            if (!fouille::decode_entry(doc.get_value(fouille::SLOT_ENTRY), e))
                fouille::corrupt_entry(*it);
            if (e.s[fouille::E_PATH] != path)
                continue; /* another long path with the same hash */
            if (found)
                *found = 1;
            if (cb) {
                fouille_index_entry_t entry;
                fouille::to_entry(e, entry);
                cb(&entry, ctx);
            }
            break;
        }
        return FOUILLE_INDEX_OK;
    });
}

} // extern "C"
