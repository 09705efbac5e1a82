/* utf8.h -- UTF-8 decoding, validation and character classes (internal).
 *
 * Every piece of the index that walks text (tokenizer, query normaliser,
 * snippet generator) classifies code points through char_class(), so that
 * what is a word at indexing time is a word at query time. */
#ifndef FOUILLE_INDEX_UTF8_H
#define FOUILLE_INDEX_UTF8_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace fouille
{

/* utf8_decode() past ASCII. */
size_t utf8_decode_multi(const char *s, size_t n, int32_t *cp);

/* Decode the code point at s[0..n). Returns its length in bytes (1 to 4)
 * and stores it in *cp; returns 1 with *cp = -1 for an invalid or
 * truncated sequence, so that the caller skips exactly one byte. n must be
 * at least 1. (Inline for ASCII: tokenizing is most of a search's work.) */
inline size_t utf8_decode(const char *s, size_t n, int32_t *cp)
{
    unsigned char c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    return utf8_decode_multi(s, n, cp);
}

/* Whether s[0..n) is entirely valid UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

/* A copy of s[0..n) where every invalid byte is replaced with U+FFFD. */
std::string utf8_sanitize(const char *s, size_t n);

/* Append the UTF-8 encoding of cp to out. */
void utf8_append(std::string &out, int32_t cp);

/* The start of the code point that ends just before s[i] (i > 0): steps
 * back over at most three continuation bytes. */
size_t utf8_prev(const char *s, size_t i);

enum CharClass : unsigned char {
    CC_OTHER,  /* punctuation, symbols, invalid bytes */
    CC_SPACE,  /* white space and control characters (including '\f') */
    CC_LETTER, /* Unicode categories L* */
    CC_DIGIT,  /* Nd */
    CC_MARK,   /* M*: combining marks, part of the word they follow */
    CC_APOS,   /* ' U+0027, ’ U+2019, ʼ U+02BC */
    CC_HYPHEN, /* - U+002D, ‐ U+2010, ‑ U+2011 */
};

/* char_class() past ASCII. */
CharClass char_class_multi(int32_t cp);

inline CharClass char_class(int32_t cp)
{
    if (cp < 0 || cp >= 128)
        return cp < 0 ? CC_OTHER : char_class_multi(cp);
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
        return CC_LETTER;
    if (cp >= '0' && cp <= '9')
        return CC_DIGIT;
    if (cp < 0x20 || cp == ' ' || cp == 0x7F)
        return CC_SPACE;
    return cp == '\'' ? CC_APOS : cp == '-' ? CC_HYPHEN : CC_OTHER;
}

/* The ASCII character that the plain form (case folded, accents
 * stripped) of a word starting with cp starts with, or 0 when cp does not
 * fold to ASCII (or lies past the Latin blocks). Lets the snippet
 * generator reject most words without folding them. */
char plain_initial(int32_t cp);

inline bool is_word_start(CharClass c)
{
    return c == CC_LETTER || c == CC_DIGIT;
}

inline bool is_word_char(CharClass c)
{
    return c == CC_LETTER || c == CC_DIGIT || c == CC_MARK;
}

} // namespace fouille

#endif
