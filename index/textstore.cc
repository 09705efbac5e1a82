/* textstore.cc -- see textstore.h. */
#include "textstore.h"

#include <lz4.h>
#include <lz4hc.h>

namespace fouille
{

namespace
{

/* How far back a chunk's end looks for white space to cut on. */
constexpr size_t CUT_LOOKBACK = 1024;
/* A stored chunk never inflates to more than this: anything larger is
 * damage, not text. */
constexpr size_t CHUNK_MAX_BYTES = 4 * TEXT_CHUNK_BYTES;

std::string chunk_key(Xapian::docid did, unsigned k)
{
    std::string key(13, '\0');
    key[0] = 'T';
    uint64_t d = did;
    for (int i = 0; i < 8; i++)
        key[1 + i] = static_cast<char>(d >> (56 - 8 * i));
    for (int i = 0; i < 4; i++)
        key[9 + i] = static_cast<char>(k >> (24 - 8 * i));
    return key;
}

bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Stored form: the text's length as 4 bytes big-endian, then an LZ4
 * block: LZ4 inflates at gigabytes per second, where zlib would be a
 * third of a search's time; the HC compressor narrows the gap in size. */
std::string compress_chunk(const std::string &text)
{
    int bound = LZ4_compressBound(static_cast<int>(text.size()));
    std::string out(4 + static_cast<size_t>(bound), '\0');
    uint32_t n = static_cast<uint32_t>(text.size());
    for (int i = 0; i < 4; i++)
        out[i] = static_cast<char>(n >> (24 - 8 * i));
    int len = LZ4_compress_HC(text.data(), &out[4], static_cast<int>(n),
                              bound, LZ4HC_CLEVEL_DEFAULT);
    if (len <= 0)
        throw Xapian::DatabaseError("cannot compress a text chunk");
    out.resize(4 + static_cast<size_t>(len));
    return out;
}

bool decompress_chunk(const std::string &in, std::string &out)
{
    if (in.size() < 4)
        return false;
    uint32_t n = 0;
    for (int i = 0; i < 4; i++)
        n = n << 8 | static_cast<unsigned char>(in[i]);
    if (n > CHUNK_MAX_BYTES)
        return false;
    size_t base = out.size();
    out.resize(base + n);
    int len = LZ4_decompress_safe(in.data() + 4, &out[base],
                                  static_cast<int>(in.size() - 4),
                                  static_cast<int>(n));
    if (len != static_cast<int>(n)) {
        out.resize(base);
        return false;
    }
    return true;
}

} // namespace

void split_text(const std::string &text, std::vector<std::string> &out)
{
    out.clear();
    size_t pos = 0, n = text.size();
    while (n - pos > TEXT_CHUNK_BYTES) {
        size_t limit = pos + TEXT_CHUNK_BYTES;
        size_t cut = limit;
        while (cut > limit - CUT_LOOKBACK && !is_space(text[cut - 1]))
            cut--;
        if (cut == limit - CUT_LOOKBACK) {
            /* No white space near: cut a very long word, on a code
             * point. */
            cut = limit;
            while (cut > pos + 1 &&
                   (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
                cut--;
        }
        out.emplace_back(text, pos, cut - pos);
        pos = cut;
    }
    if (pos < n)
        out.emplace_back(text, pos, n - pos);
}

void store_chunks(Xapian::WritableDatabase &db, Xapian::docid did,
                  const std::vector<std::string> &chunks)
{
    for (size_t k = 0; k < chunks.size(); k++)
        db.set_metadata(chunk_key(did, static_cast<unsigned>(k)),
                        compress_chunk(chunks[k]));
}

void drop_chunks(Xapian::WritableDatabase &db, Xapian::docid did,
                 unsigned count)
{
    for (unsigned k = 0; k < count; k++)
        db.set_metadata(chunk_key(did, k), std::string());
}

bool load_chunk(const Xapian::Database &db, Xapian::docid did, unsigned k,
                std::string &out)
{
    std::string stored = db.get_metadata(chunk_key(did, k));
    return !stored.empty() && decompress_chunk(stored, out);
}

bool TextChunks::next(std::string &text)
{
    if (!db_ || next_ >= count_)
        return false;
    if (!load_chunk(*db_, did_, next_, text)) {
        next_ = count_; /* a missing chunk ends the text */
        return false;
    }
    next_++;
    return true;
}

} // namespace fouille
