/* model.cc -- id terms, dates and folder terms of the document model. */
#include "model.h"

#include <cstdint>
#include <cstdio>

namespace fouille
{

const char *const DOC_MARKER = "XKdoc";
const char *const FAIL_MARKER = "XKfail";
const char *const PRIVATE_MARKER = "XKprivate";
const char *const SCHEMA_KEY = "fouille.schema";
const char *const SCHEMA_VERSION = "3"; /* 3: SLOT_DATA, SLOT_FACETS */

namespace
{

/* FNV-1a, 64 bits, from a given offset basis. Two runs with different
 * bases give the 128 bits of a long path's id: not cryptographic, but the
 * lookup checks the stored path, and paths are not chosen by attackers
 * who also control the index. */
uint64_t fnv1a(const std::string &s, uint64_t h)
{
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

} // namespace

std::string id_term(const std::string &path)
{
    if (path.size() + 1 <= MAX_TERM_BYTES)
        return "Q" + path;
    /* A NUL never occurs in a path, so this cannot collide with the
     * plain form. */
    char buf[40];
    std::snprintf(
        buf, sizeof buf, "%016llx%016llx",
        static_cast<unsigned long long>(fnv1a(path, 0xcbf29ce484222325ULL)),
        static_cast<unsigned long long>(fnv1a(path, 0x84222325cbf29ce4ULL)));
    return std::string("Q\0", 2) + buf;
}

bool parse_date(const char *date, std::string &sortable, std::string &year)
{
    if (!date)
        return false;
    auto digits = [&](size_t at, size_t n) {
        for (size_t i = 0; i < n; i++)
            if (date[at + i] < '0' || date[at + i] > '9')
                return false;
        return true;
    };
    /* Each check stops at the first mismatch, so no read goes past the
     * terminating NUL. */
    if (!digits(0, 4))
        return false;
    year.assign(date, 4);
    sortable = year;
    if (date[4] == '-' && digits(5, 2)) {
        sortable.append(date + 5, 2);
        if (date[7] == '-' && digits(8, 2))
            sortable.append(date + 8, 2);
        else
            sortable += "00";
    } else {
        sortable += "0000";
    }
    return true;
}

std::vector<std::string> folder_terms(const std::string &path)
{
    std::vector<std::string> terms;
    for (size_t i = 0; i < path.size(); i++) {
        if (path[i] == '/' && i > 0) {
            std::string t = "XD" + path.substr(0, i);
            if (t.size() <= MAX_TERM_BYTES)
                terms.push_back(std::move(t));
        }
    }
    return terms;
}

std::string folder_facet_value(const std::string &path)
{
    size_t first = path.find('/');
    if (first == std::string::npos || first == 0)
        return std::string();
    size_t second = path.find('/', first + 1);
    std::string v =
        path.substr(0, second == std::string::npos ? first : second);
    return v.size() <= MAX_TERM_BYTES ? v : std::string();
}

std::string facet_value(const char *type, const std::string &year,
                        const std::string &path)
{
    std::string v = type ? type : "";
    v += '\0';
    v += year;
    v += '\0';
    v += folder_facet_value(path);
    return v;
}

std::string file_name_words(const std::string &path)
{
    size_t slash = path.rfind('/');
    std::string base =
        slash == std::string::npos ? path : path.substr(slash + 1);
    size_t dot = base.rfind('.');
    if (dot != std::string::npos && dot > 0)
        base.resize(dot);
    return base;
}

std::string stored_data(const Xapian::Document &doc)
{
    std::string v = doc.get_value(SLOT_DATA);
    return v.empty() ? doc.get_data() : v;
}

void add_boolean(Xapian::Document &doc, const std::string &term)
{
    if (term.size() <= MAX_TERM_BYTES)
        doc.add_boolean_term(term);
}

} // namespace fouille
