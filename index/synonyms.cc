/* synonyms.cc -- fouille_synonyms_load and its reference counting. */
#include "synonyms.h"

#include "analyzer.h"
#include "stem.h"
#include "status.h"
#include "utf8.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace fouille
{

namespace
{

/* A synonyms file is read whole: a bound on its size, its groups and the
 * words of a member keeps a mistake (a dictionary given instead) from
 * costing every query. */
constexpr size_t FILE_MAX = 1 << 20;
constexpr size_t RULES_MAX = 20000;
constexpr size_t MEMBER_WORDS_MAX = 12;
constexpr size_t GROUP_MEMBERS_MAX = 32;

/* The plain words of a member, in order. */
class Words : public TokenSink
{
  public:
    bool token(const char *text, const Token &t) override
    {
        if (t.kind == Token::JOINED)
            return true;
        std::string lower, plain;
        if (fold(text + t.start, t.end - t.start, lower, plain))
            out.push_back(plain);
        return true;
    }
    std::vector<std::string> out;
};

std::vector<std::string> words_of(const std::string &member)
{
    Words w;
    tokenize(member.data(), member.size(), w);
    return w.out;
}

std::vector<std::string> keys_of(const std::vector<std::string> &words)
{
    std::vector<std::string> keys;
    for (const std::string &w : words)
        keys.push_back(all_digits(w) ? w : light_stem(w));
    return keys;
}

/* Split s at commas into trimmed members. */
std::vector<std::string> members(const std::string &s)
{
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string m;
    while (std::getline(in, m, ','))
        out.push_back(m);
    return out;
}

[[noreturn]] void bad_line(const std::string &path, size_t line,
                           const std::string &why)
{
    fail(FOUILLE_INDEX_INVALID_ARGUMENT,
         path + ":" + std::to_string(line) + ": " + why);
}

/* The words of each member of one side of a line. */
std::vector<std::vector<std::string>>
side(const std::string &s, const std::string &path, size_t line)
{
    std::vector<std::vector<std::string>> out;
    for (const std::string &m : members(s)) {
        std::vector<std::string> w = words_of(m);
        if (w.empty())
            bad_line(path, line, "an empty member (two commas in a row?)");
        if (w.size() > MEMBER_WORDS_MAX)
            bad_line(path, line,
                     "a member of more than " +
                         std::to_string(MEMBER_WORDS_MAX) + " words");
        out.push_back(std::move(w));
    }
    if (out.size() > GROUP_MEMBERS_MAX)
        bad_line(path, line,
                 "more than " + std::to_string(GROUP_MEMBERS_MAX) + " members");
    return out;
}

void parse(fouille_synonyms &syn, const std::string &text,
           const std::string &path)
{
    std::stringstream in(text);
    std::string l;
    size_t line = 0;
    while (std::getline(in, l)) {
        line++;
        size_t hash = l.find('#');
        if (hash != std::string::npos)
            l.resize(hash);
        if (l.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        if (!utf8_valid(l.data(), l.size()))
            bad_line(path, line, "not valid UTF-8");
        size_t arrow = l.find("=>");
        if (arrow != std::string::npos &&
            l.find("=>", arrow + 2) != std::string::npos)
            bad_line(path, line, "more than one =>");
        if (arrow != std::string::npos) {
            auto from = side(l.substr(0, arrow), path, line);
            auto to = side(l.substr(arrow + 2), path, line);
            for (const auto &f : from)
                syn.rules.push_back({keys_of(f), to});
        } else {
            auto group = side(l, path, line);
            if (group.size() < 2)
                bad_line(path, line, "a group needs two members or more");
            for (size_t i = 0; i < group.size(); i++) {
                fouille_synonyms::Rule r;
                r.from = keys_of(group[i]);
                for (size_t j = 0; j < group.size(); j++)
                    if (j != i)
                        r.to.push_back(group[j]);
                syn.rules.push_back(std::move(r));
            }
        }
        if (syn.rules.size() > RULES_MAX)
            bad_line(path, line,
                     "more than " + std::to_string(RULES_MAX) + " rules");
    }
}

} // namespace

} // namespace fouille

extern "C" {

FOUILLE_INDEX_API fouille_index_status_t
fouille_synonyms_load(const char *path, fouille_synonyms_t **out, char *errbuf,
                      size_t errlen)
{
    if (out)
        *out = nullptr;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    try {
        if (!path || !*path || !out)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                          "fouille_synonyms_load: invalid argument");
        std::ifstream f(path, std::ios::binary);
        if (!f)
            fouille::fail(FOUILLE_INDEX_NOT_FOUND,
                          std::string(path) + ": " + std::strerror(errno));
        std::string text;
        text.resize(fouille::FILE_MAX + 1);
        f.read(&text[0], static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<size_t>(f.gcount()));
        if (f.bad())
            fouille::fail(FOUILLE_INDEX_IO,
                          std::string(path) + ": " + std::strerror(errno));
        if (text.size() > fouille::FILE_MAX)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                          std::string(path) + ": larger than " +
                              std::to_string(fouille::FILE_MAX) + " bytes");
        std::unique_ptr<fouille_synonyms> syn(new fouille_synonyms);
        fouille::parse(*syn, text, path);
        *out = syn.release();
        return FOUILLE_INDEX_OK;
    } catch (...) {
        std::string msg;
        fouille_index_status_t st = fouille::current_exception_status(&msg);
        fouille::copy_message(msg, errbuf, errlen);
        return st;
    }
}

FOUILLE_INDEX_API fouille_synonyms_t *fouille_synonyms_ref(fouille_synonyms_t *s)
{
    if (s)
        s->refs.fetch_add(1, std::memory_order_relaxed);
    return s;
}

FOUILLE_INDEX_API void fouille_synonyms_unref(fouille_synonyms_t *s)
{
    if (s && s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
        delete s;
}

FOUILLE_INDEX_API size_t fouille_synonyms_count(const fouille_synonyms_t *s)
{
    return s ? s->rules.size() : 0;
}

} // extern "C"
