/* docdata.cc -- versioned, length-prefixed serialisation of stored data. */
#include "docdata.h"

namespace fouille
{

namespace
{

constexpr unsigned char DATA_VERSION = 1;
constexpr unsigned char ENTRY_VERSION = 1;

void put_varint(std::string &out, uint64_t v)
{
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void put_string(std::string &out, bool present, const std::string &s)
{
    put_varint(out, present ? s.size() + 1 : 0);
    out += s;
}

/* A bounds-checked reader: every get fails rather than reading past the
 * end. */
class Reader
{
  public:
    explicit Reader(const std::string &in) : p_(in.data()), end_(p_ + in.size())
    {
    }

    bool byte(unsigned char &b)
    {
        if (p_ == end_)
            return false;
        b = static_cast<unsigned char>(*p_++);
        return true;
    }

    bool varint(uint64_t &v)
    {
        v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            unsigned char b;
            if (!byte(b))
                return false;
            if (shift == 63 && (b & 0x7E))
                return false; /* more than 64 bits */
            v |= static_cast<uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    }

    /* A string into out (when out is not NULL, else skipped). */
    bool string(std::string *out, bool *present)
    {
        uint64_t n;
        if (!varint(n))
            return false;
        if (n == 0) {
            if (out)
                out->clear();
            if (present)
                *present = false;
            return true;
        }
        n--;
        if (n > static_cast<uint64_t>(end_ - p_))
            return false;
        if (out)
            out->assign(p_, static_cast<size_t>(n));
        if (present)
            *present = true;
        p_ += n;
        return true;
    }

    bool done() const { return p_ == end_; }

  private:
    const char *p_;
    const char *end_;
};

} // namespace

std::string encode_data(const DocData &d)
{
    std::string out;
    out.reserve(d.s[F_TEXT].size() + 256);
    out += static_cast<char>(DATA_VERSION);
    put_varint(out, F_COUNT);
    for (int f = 0; f < F_COUNT; f++)
        put_string(out, d.has[f], d.s[f]);
    put_varint(out, 4);
    put_varint(out, d.size);
    put_varint(out, d.pages);
    put_varint(out, d.flags);
    put_varint(out, d.chunks);
    return out;
}

bool decode_data(const std::string &in, DocData &d)
{
    d = DocData();
    Reader r(in);
    unsigned char version;
    if (!r.byte(version) || version != DATA_VERSION)
        return false;
    uint64_t n;
    if (!r.varint(n))
        return false;
    for (uint64_t i = 0; i < n; i++) {
        bool known = i < F_COUNT;
        if (!r.string(known ? &d.s[i] : nullptr, known ? &d.has[i] : nullptr))
            return false;
    }
    if (!r.varint(n))
        return false;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v;
        if (!r.varint(v))
            return false;
        if (i == 0)
            d.size = v;
        else if (i == 1)
            d.pages = v > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<unsigned>(v);
        else if (i == 2)
            d.flags = static_cast<unsigned>(v & 0xFFFFFFFFu);
        else if (i == 3 && v <= 0xFFFFFFFFu)
            d.chunks = static_cast<unsigned>(v);
    }
    return r.done();
}

std::string encode_entry(const Entry &e)
{
    std::string out;
    out += static_cast<char>(ENTRY_VERSION);
    out += static_cast<char>(e.kind);
    put_varint(out, E_COUNT);
    for (int f = 0; f < E_COUNT; f++)
        put_string(out, e.has[f], e.s[f]);
    return out;
}

bool decode_entry(const std::string &in, Entry &e)
{
    e = Entry();
    Reader r(in);
    unsigned char version, kind;
    if (!r.byte(version) || version != ENTRY_VERSION || !r.byte(kind))
        return false;
    if (kind != Entry::DOCUMENT && kind != Entry::FAILURE &&
        kind != Entry::KEPT)
        return false;
    e.kind = static_cast<Entry::Kind>(kind);
    uint64_t n;
    if (!r.varint(n))
        return false;
    for (uint64_t i = 0; i < n; i++) {
        bool known = i < E_COUNT;
        if (!r.string(known ? &e.s[i] : nullptr, known ? &e.has[i] : nullptr))
            return false;
    }
    return r.done() && e.has[E_PATH];
}

} // namespace fouille
