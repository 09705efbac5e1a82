/* group.cc -- group keys of the formats of one publication (group.h). */
#include "group.h"

#include "model.h"

#include <cstdio>
#include <cstdlib>

namespace fouille
{

namespace
{

/* Bits in which two simhashes of the same text in two formats may
 * differ; unrelated texts differ in about 32. */
constexpr int SIMHASH_MAX_DISTANCE = 10;

/* Documents of one title compared with a new one, at most. */
constexpr unsigned SAME_TITLE_MAX = 32;

/* Distinct words that feed a simhash, at most: enough to tell texts
 * apart, bounded for a huge text. */
constexpr size_t WORDS_MAX = 50000;

uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t hash64(const std::string &s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return mix(h);
}

std::string hex(uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

int distance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

} // namespace

void WordSet::add(const std::string &plain)
{
    if (plain.size() < 3 || hashes_.size() >= WORDS_MAX ||
        (plain[0] >= '0' && plain[0] <= '9'))
        return;
    hashes_.insert(hash64(plain));
}

uint64_t WordSet::simhash() const
{
    int votes[64] = {};
    for (uint64_t h : hashes_)
        for (int b = 0; b < 64; b++)
            votes[b] += (h >> b) & 1 ? 1 : -1;
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (votes[b] > 0)
            out |= uint64_t(1) << b;
    return out;
}

std::string group_term(const std::string &key) { return "XC" + key; }

namespace
{

/* The group key of a document: its XC term. */
std::string key_of(const Xapian::Document &doc)
{
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to("XC");
    if (t == doc.termlist_end())
        return std::string();
    const std::string term = *t;
    return term.compare(0, 2, "XC") == 0 ? term.substr(2) : std::string();
}

/* Give the documents of group key other than skip their collapse value:
 * the group now has more than one member. */
void mark_members(Xapian::WritableDatabase &db, const std::string &key,
                  Xapian::docid skip)
{
    const std::string t = group_term(key);
    unsigned seen = 0;
    for (Xapian::PostingIterator p = db.postlist_begin(t);
         p != db.postlist_end(t) && seen < SAME_TITLE_MAX; ++p, ++seen) {
        if (*p == skip)
            continue;
        Xapian::Document member = db.get_document(*p);
        if (member.get_value(SLOT_GROUP) == key)
            continue;
        member.add_value(SLOT_GROUP, key);
        db.replace_document(*p, member);
    }
}

} // namespace

void assign_group(Xapian::WritableDatabase &db, Xapian::Document &doc,
                  Xapian::docid replacing, const std::string &title,
                  uint64_t simhash)
{
    const std::string title_term = "XG" + hex(hash64(title));
    std::string key;
    unsigned seen = 0;
    for (Xapian::PostingIterator p = db.postlist_begin(title_term);
         p != db.postlist_end(title_term) && seen < SAME_TITLE_MAX && key.empty();
         ++p, ++seen) {
        if (*p == replacing)
            continue;
        Xapian::Document other = db.get_document(*p);
        const std::string h = other.get_value(SLOT_SIMHASH);
        if (h.size() != 16)
            continue;
        uint64_t theirs = std::strtoull(h.c_str(), nullptr, 16);
        if (distance(theirs, simhash) <= SIMHASH_MAX_DISTANCE)
            key = key_of(other);
    }
    doc.add_boolean_term(title_term);
    if (key.empty()) {
        /* A group of one: no collapse value, so that a search reads
         * almost none (most publications have one format). */
        key = hex(hash64(title) ^ simhash);
    } else {
        mark_members(db, key, replacing);
        doc.add_value(SLOT_GROUP, key);
    }
    doc.add_boolean_term(group_term(key));
    doc.add_value(SLOT_SIMHASH, hex(simhash));
}

} // namespace fouille
