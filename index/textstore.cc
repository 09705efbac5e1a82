/* textstore.cc -- see textstore.h. */
#include "textstore.h"

#include "memo.h"

#include <algorithm>
#include <cstdint>

#include <lz4.h>
#include <lz4hc.h>

namespace fouille
{

namespace
{

/* How far back a chunk's end looks for white space to cut on. */
constexpr size_t CUT_LOOKBACK = TEXT_CHUNK_BYTES / 4;
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

void put_u32(std::string &out, uint32_t n)
{
    for (int i = 0; i < 4; i++)
        out += static_cast<char>(n >> (24 - 8 * i));
}

uint32_t get_u32(const char *p)
{
    uint32_t n = 0;
    for (int i = 0; i < 4; i++)
        n = n << 8 | static_cast<unsigned char>(p[i]);
    return n;
}

/* FNV-1a: the filter's two hashes come from one 64-bit value. */
uint64_t hash_key(const std::string &key)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

constexpr unsigned FILTER_HASHES = 3;

/* Stored form:
 *   4 bytes  the text's length, big-endian
 *   4 bytes  the page it starts on, big-endian
 *   1 byte   the filter's length in 64-byte units (0: none)
 *   filter
 *   LZ4 block of the text: LZ4 inflates at gigabytes per second, where
 *   zlib would be a third of a search's time; the HC compressor narrows
 *   the gap in size. */
constexpr size_t HEADER_BYTES = 9;

} // namespace

std::string encode_chunk(const Chunk &c)
{
    int bound = LZ4_compressBound(static_cast<int>(c.text.size()));
    std::string out;
    out.reserve(HEADER_BYTES + c.filter.bits.size() +
                static_cast<size_t>(bound));
    put_u32(out, static_cast<uint32_t>(c.text.size()));
    put_u32(out, c.page);
    out += static_cast<char>(c.filter.bits.size() / 64);
    out += c.filter.bits;
    size_t at = out.size();
    out.resize(at + static_cast<size_t>(bound));
    int len = LZ4_compress_HC(c.text.data(), &out[at],
                              static_cast<int>(c.text.size()), bound,
                              LZ4HC_CLEVEL_DEFAULT);
    if (len <= 0)
        throw Xapian::DatabaseError("cannot compress a text chunk");
    out.resize(at + static_cast<size_t>(len));
    return out;
}

namespace
{

/* The parts of a stored chunk; false if it is damaged. */
struct Parsed {
    uint32_t len, page;
    const char *filter;
    size_t filter_len;
    const char *data;
    size_t data_len;
};

bool parse_chunk(const std::string &in, Parsed &p)
{
    if (in.size() < HEADER_BYTES)
        return false;
    p.len = get_u32(in.data());
    p.page = get_u32(in.data() + 4);
    p.filter_len = static_cast<unsigned char>(in[8]) * size_t{64};
    if (p.len == 0 || p.len > CHUNK_MAX_BYTES || p.page == 0 ||
        p.filter_len > 4 * ChunkFilter::BYTES ||
        in.size() < HEADER_BYTES + p.filter_len)
        return false;
    p.filter = in.data() + HEADER_BYTES;
    p.data = p.filter + p.filter_len;
    p.data_len = in.size() - HEADER_BYTES - p.filter_len;
    return true;
}

bool decode_text(const Parsed &p, std::string &out)
{
    size_t base = out.size();
    out.resize(base + p.len);
    int len = LZ4_decompress_safe(p.data, &out[base],
                                  static_cast<int>(p.data_len),
                                  static_cast<int>(p.len));
    if (len != static_cast<int>(p.len)) {
        out.resize(base);
        return false;
    }
    return true;
}

bool filter_test(const char *bits, size_t bytes, const std::string &key)
{
    const size_t nbits = bytes * 8;
    uint64_t h = hash_key(key);
    uint64_t h1 = h & 0xFFFFFFFFu, h2 = (h >> 32) | 1;
    for (unsigned i = 0; i < FILTER_HASHES; i++) {
        size_t bit = (h1 + i * h2) % nbits;
        if (!(static_cast<unsigned char>(bits[bit / 8]) & (1u << (bit % 8))))
            return false;
    }
    return true;
}

/* The text of a chunk as stored, appended to out. */
bool decode_chunk(const std::string &stored, std::string &out)
{
    Parsed p;
    return parse_chunk(stored, p) && decode_text(p, out);
}

} // namespace

void ChunkFilter::add(const std::string &key)
{
    if (bits.empty())
        bits.assign(BYTES, '\0');
    uint64_t h = hash_key(key);
    uint64_t h1 = h & 0xFFFFFFFFu, h2 = (h >> 32) | 1;
    for (unsigned i = 0; i < FILTER_HASHES; i++) {
        size_t bit = (h1 + i * h2) % (BYTES * 8);
        bits[bit / 8] = static_cast<char>(bits[bit / 8] | (1u << (bit % 8)));
    }
}

bool ChunkFilter::might_hold(const std::string &key) const
{
    return bits.empty() || filter_test(bits.data(), bits.size(), key);
}

void split_text(const std::string &text, std::vector<Chunk> &out)
{
    out.clear();
    size_t pos = 0, n = text.size();
    unsigned page = 1;
    while (pos < n) {
        size_t cut = n;
        if (n - pos > TEXT_CHUNK_BYTES) {
            size_t limit = pos + TEXT_CHUNK_BYTES;
            cut = limit;
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
        }
        Chunk c;
        c.start = pos;
        c.page = page;
        c.text.assign(text, pos, cut - pos);
        page += static_cast<unsigned>(
            std::count(c.text.begin(), c.text.end(), '\f'));
        out.push_back(std::move(c));
        pos = cut;
    }
}

void store_chunks(Xapian::WritableDatabase &db, Xapian::docid did,
                  const std::vector<std::string> &encoded)
{
    for (size_t k = 0; k < encoded.size(); k++)
        db.set_metadata(chunk_key(did, static_cast<unsigned>(k)), encoded[k]);
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
    return decode_chunk(db.get_metadata(chunk_key(did, k)), out);
}

const std::string &TextChunks::stored(unsigned k)
{
    if (memo_)
        return memo_->metadata(*db_, chunk_key(did_, k), scratch_);
    scratch_ = db_->get_metadata(chunk_key(did_, k));
    return scratch_;
}

bool TextChunks::next(std::string &text, const std::vector<std::string> *wanted)
{
    restarted_ = false;
    while (db_ && next_ < count_) {
        Parsed p;
        if (!parse_chunk(stored(next_), p))
            break;
        next_++;
        bool may = !wanted || !p.filter_len;
        for (size_t i = 0; !may && i < wanted->size(); i++)
            may = filter_test(p.filter, p.filter_len, (*wanted)[i]);
        if (!may) {
            restarted_ = true;
            continue;
        }
        if (!restarted_) {
            if (!decode_text(p, text))
                break;
            return true;
        }
        /* The text restarts here: replace it only once this chunk reads. */
        std::string fresh;
        if (!decode_text(p, fresh))
            break;
        text.swap(fresh);
        page_ = p.page;
        return true;
    }
    next_ = count_; /* a damaged chunk ends the text */
    restarted_ = false;
    return false;
}

bool TextChunks::rewind(std::string &text)
{
    std::string first;
    if (!db_ || count_ == 0 || !decode_chunk(stored(0), first))
        return false;
    text.swap(first);
    next_ = 1;
    page_ = 1;
    return true;
}

} // namespace fouille
