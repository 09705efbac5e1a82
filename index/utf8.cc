/* utf8.cc -- UTF-8 decoding, validation and character classes. */
#include "utf8.h"

#include <utf8proc.h>

#include <cstdlib>

namespace fouille
{

size_t utf8_decode_multi(const char *s, size_t n, int32_t *cp)
{
    utf8proc_int32_t v;
    utf8proc_ssize_t len =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(s),
                         static_cast<utf8proc_ssize_t>(n < 4 ? n : 4), &v);
    if (len <= 0 || v < 0) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return static_cast<size_t>(len);
}

bool utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        if (cp < 0)
            return false;
    }
    return true;
}

void utf8_append(std::string &out, int32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string utf8_sanitize(const char *s, size_t n)
{
    std::string out;
    out.reserve(n);
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (cp < 0)
            utf8_append(out, 0xFFFD);
        else
            out.append(s + i, len);
        i += len;
    }
    return out;
}

size_t utf8_prev(const char *s, size_t i)
{
    size_t j = i - 1;
    for (int k = 0;
         k < 3 && j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80;
         k++)
        j--;
    return j;
}

namespace
{

CharClass classify(int32_t cp)
{
    switch (cp) {
    case 0x2019:
    case 0x02BC: return CC_APOS;
    case 0x2010:
    case 0x2011: return CC_HYPHEN;
    default: break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return CC_LETTER;
    case UTF8PROC_CATEGORY_ND: return CC_DIGIT;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return CC_MARK;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: return CC_SPACE;
    default: return CC_OTHER;
    }
}

/* The classes of the code points up to the end of the combining marks
 * block (U+036F), looked up: nearly every letter of French text past
 * ASCII lies there, and utf8proc's property lookup costs more than the
 * rest of the tokenizer's work on the letter. */
constexpr int32_t CLASS_TABLE_END = 0x370;

struct ClassTable {
    CharClass c[CLASS_TABLE_END];
    ClassTable()
    {
        for (int32_t cp = 0; cp < CLASS_TABLE_END; cp++)
            c[cp] = classify(cp);
    }
};

} // namespace

CharClass char_class_multi(int32_t cp)
{
    static const ClassTable table;
    return cp < CLASS_TABLE_END ? table.c[cp] : classify(cp);
}

namespace
{

/* Through Latin Extended-B: where French text lives. */
constexpr int32_t INITIAL_TABLE_END = 0x250;

struct InitialTable {
    char c[INITIAL_TABLE_END];
    InitialTable()
    {
        for (int32_t cp = 0; cp < INITIAL_TABLE_END; cp++) {
            c[cp] = 0;
            utf8proc_uint8_t in[4], *out = nullptr;
            utf8proc_ssize_t n = utf8proc_encode_char(cp, in);
            if (n <= 0 ||
                utf8proc_map(in, n, &out,
                             static_cast<utf8proc_option_t>(
                                 UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                 UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                 UTF8PROC_STRIPMARK)) <= 0) {
                std::free(out);
                continue;
            }
            unsigned char f = out[0];
            if ((f >= 'a' && f <= 'z') || (f >= '0' && f <= '9'))
                c[cp] = static_cast<char>(f);
            std::free(out);
        }
    }
};

} // namespace

char plain_initial(int32_t cp)
{
    static const InitialTable table;
    return cp >= 0 && cp < INITIAL_TABLE_END ? table.c[cp] : 0;
}

} // namespace fouille
