/* utf8.cc -- UTF-8 decoding, validation and character classes. */
#include "utf8.h"

#include <utf8proc.h>

namespace fouille
{

size_t utf8_decode(const char *s, size_t n, int32_t *cp)
{
    unsigned char c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
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

/* Classes of the ASCII range, computed once. */
struct AsciiTable {
    CharClass c[128];
    AsciiTable()
    {
        for (int i = 0; i < 128; i++) {
            if (i >= 'a' && i <= 'z')
                c[i] = CC_LETTER;
            else if (i >= 'A' && i <= 'Z')
                c[i] = CC_LETTER;
            else if (i >= '0' && i <= '9')
                c[i] = CC_DIGIT;
            else if (i < 0x20 || i == ' ' || i == 0x7F)
                c[i] = CC_SPACE;
            else if (i == '\'')
                c[i] = CC_APOS;
            else if (i == '-')
                c[i] = CC_HYPHEN;
            else
                c[i] = CC_OTHER;
        }
    }
};

const AsciiTable ascii_table;

} // namespace

CharClass char_class(int32_t cp)
{
    if (cp < 0)
        return CC_OTHER;
    if (cp < 128)
        return ascii_table.c[cp];
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

} // namespace fouille
