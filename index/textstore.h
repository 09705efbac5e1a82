/* textstore.h -- a document's text stored in chunks (internal).
 *
 * A snippet needs the text around a document's first matches, not all of
 * it: the text lives in metadata entries of a kilobyte each,
 * LZ4-compressed, outside the document's data, so that a search reads and
 * inflates a kilobyte or two per hit instead of a whole report. Chunks end
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

class ReadMemo;

/* Text bytes per chunk (a chunk may be a little shorter, to end on white
 * space). */
constexpr size_t TEXT_CHUNK_BYTES = 1024;

/* Which words a chunk holds, approximately: a Bloom filter of the stem
 * keys of its words (the plain form of numbers), so that a snippet skips
 * the chunks before its first match without tokenizing them. A false
 * positive costs one chunk's scan; there are no false negatives. */
class ChunkFilter
{
  public:
    static constexpr size_t BYTES = 64;
    void add(const std::string &key);
    bool might_hold(const std::string &key) const;
    /* BYTES bytes, or empty: holds everything. */
    std::string bits;
};

/* One chunk of a document's text, as stored. */
struct Chunk {
    size_t start = 0;   /* byte offset in the text */
    unsigned page = 1;  /* 1 + form feeds before it */
    std::string text;
    ChunkFilter filter;
};

/* Split text into chunks, none empty. An empty text gives none. */
void split_text(const std::string &text, std::vector<Chunk> &out);

/* A chunk as stored (compressed, with its filter): the work of storing
 * it that needs no database, done before the writer takes it. */
std::string encode_chunk(const Chunk &c);

/* Store the encoded chunks of document did. */
void store_chunks(Xapian::WritableDatabase &db, Xapian::docid did,
                  const std::vector<std::string> &encoded);

/* Remove chunks 0..count-1 of document did. */
void drop_chunks(Xapian::WritableDatabase &db, Xapian::docid did,
                 unsigned count);

/* Append the text of chunk k of document did in db (a single database, or
 * one shard of a set) to out: false if it is missing or unreadable. */
bool load_chunk(const Xapian::Database &db, Xapian::docid did, unsigned k,
                std::string &out);

/* One document's text, chunk after chunk. */
class TextChunks
{
  public:
    TextChunks() = default;
    /* With memo (db's reader memo, memo.h), chunks read once are kept. */
    TextChunks(const Xapian::Database &db, Xapian::docid did, unsigned count,
               ReadMemo *memo = nullptr)
        : db_(&db), memo_(memo), did_(did), count_(count)
    {
    }
    /* Append the next chunk to text; false when there is none (or it is
     * unreadable). With wanted (stem keys), chunks whose filter holds none
     * of them are passed over: then text is replaced by the next one that
     * may, and restarted() says so. */
    bool next(std::string &text, const std::vector<std::string> *wanted =
                                     nullptr);
    /* Whether the last next() passed chunks over, and the page text now
     * starts on. */
    bool restarted() const { return restarted_; }
    unsigned page() const { return page_; }
    /* Replace text with the first chunk again (false if unreadable). */
    bool rewind(std::string &text);

  private:
    /* The stored form of chunk k (valid until the next call). */
    const std::string &stored(unsigned k);

    const Xapian::Database *db_ = nullptr;
    ReadMemo *memo_ = nullptr;
    std::string scratch_;
    Xapian::docid did_ = 0;
    unsigned count_ = 0, next_ = 0, page_ = 1;
    bool restarted_ = false;
};

} // namespace fouille

#endif
