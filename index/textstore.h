/* textstore.h -- a document's text stored in chunks (internal).
 *
 * A snippet needs the text around a document's first matches, not all of
 * it: the text lives in metadata entries of a few kilobytes each,
 * LZ4-compressed, outside the document's data, so that a search reads and
 * inflates a few kilobytes per hit instead of a whole report. Chunks end
 * on white space, so a word never spans two.
 *
 * Metadata key of chunk k of the document with id did:
 *   "T" + did as 8 bytes big-endian + k as 4 bytes big-endian
 * Keys follow document ids: an index must not be merged or renumbered
 * (xapian-compact of a single index keeps them). */
#ifndef FOUILLE_INDEX_TEXTSTORE_H
#define FOUILLE_INDEX_TEXTSTORE_H

#include <xapian.h>

#include <string>
#include <vector>

namespace fouille
{

/* Text bytes per chunk (a chunk may be a little shorter, to end on white
 * space, or longer, for a run of 1 KB without any). */
constexpr size_t TEXT_CHUNK_BYTES = 4096;

/* Split text into chunks. An empty text gives none. */
void split_text(const std::string &text, std::vector<std::string> &out);

/* Store the chunks of document did. */
void store_chunks(Xapian::WritableDatabase &db, Xapian::docid did,
                  const std::vector<std::string> &chunks);

/* Remove chunks 0..count-1 of document did. */
void drop_chunks(Xapian::WritableDatabase &db, Xapian::docid did,
                 unsigned count);

/* Append chunk k of document did in db (a single database, or one
 * shard of a set) to out: false if it is missing or unreadable. */
bool load_chunk(const Xapian::Database &db, Xapian::docid did, unsigned k,
                std::string &out);

/* One document's text, chunk after chunk. */
class TextChunks
{
  public:
    TextChunks() = default;
    TextChunks(const Xapian::Database &db, Xapian::docid did, unsigned count)
        : db_(&db), did_(did), count_(count)
    {
    }
    /* Append the next chunk to text; false when there is none. */
    bool next(std::string &text);

  private:
    const Xapian::Database *db_ = nullptr;
    Xapian::docid did_ = 0;
    unsigned count_ = 0, next_ = 0;
};

} // namespace fouille

#endif
