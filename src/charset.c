/* charset.c -- see charset.h. */
#include "config.h"

#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

/* Labels as documents write them (WHATWG's Encoding Standard names most),
 * compared without case, '-', '_', ' ' or '.', and the iconv converter
 * each means. ISO-8859-1 and ASCII mean Windows-1252, as in browsers:
 * files that say Latin-1 hold Windows-1252 quotes and dashes. */
struct charset {
    const char *iconv_name;
    const char *labels; /* normalised, separated by spaces */
};

static const struct charset charsets[] = {
    {"UTF-8", "utf8 unicode11utf8 xunicode20utf8"},
    {"WINDOWS-1252", "windows1252 cp1252 xcp1252 iso88591 iso885911987 "
                     "latin1 l1 usascii ascii cp819 ibm819 csisolatin1 "
                     "isoir100"},
    {"UTF-16LE", "utf16le utf16"},
    {"UTF-16BE", "utf16be"},
    {"ISO-8859-2", "iso88592 latin2 l2 csisolatin2"},
    {"ISO-8859-3", "iso88593 latin3 l3"},
    {"ISO-8859-4", "iso88594 latin4 l4"},
    {"ISO-8859-5", "iso88595 cyrillic csisolatincyrillic"},
    {"ISO-8859-6", "iso88596 arabic"},
    {"ISO-8859-7", "iso88597 greek greek8"},
    {"ISO-8859-8", "iso88598 hebrew iso88598i"},
    {"ISO-8859-10", "iso885910 latin6 l6"},
    {"ISO-8859-13", "iso885913"},
    {"ISO-8859-14", "iso885914"},
    {"ISO-8859-15", "iso885915 latin9 l9 csisolatin9"},
    {"ISO-8859-16", "iso885916"},
    {"WINDOWS-1250", "windows1250 cp1250 xcp1250"},
    {"WINDOWS-1251", "windows1251 cp1251 xcp1251"},
    {"WINDOWS-1253", "windows1253 cp1253"},
    {"WINDOWS-1254", "windows1254 cp1254 iso88599 latin5 l5"},
    {"WINDOWS-1255", "windows1255 cp1255"},
    {"WINDOWS-1256", "windows1256 cp1256"},
    {"WINDOWS-1257", "windows1257 cp1257"},
    {"WINDOWS-1258", "windows1258 cp1258"},
    {"KOI8-R", "koi8r koi8 cskoi8r"},
    {"KOI8-U", "koi8u koi8ru"},
    {"MACINTOSH", "macintosh mac xmacroman csmacintosh"},
    {"CP850", "cp850 ibm850 850"},
    {"CP437", "cp437 ibm437 437"},
    {"SHIFT_JIS", "shiftjis sjis mskanji csshiftjis windows31j xsjis"},
    {"EUC-JP", "eucjp xeucjp"},
    {"ISO-2022-JP", "iso2022jp csiso2022jp"},
    {"GB18030", "gb18030 gbk gb2312 chinese csgb2312 xgbk"},
    {"BIG5", "big5 big5hkscs csbig5 xxbig5"},
    {"EUC-KR", "euckr cseuckr korean windows949"},
};
#define N_CHARSETS (sizeof charsets / sizeof charsets[0])

static iconv_t converters[N_CHARSETS];
static int preloaded;

void fouille__charset_preload(void)
{
    if (preloaded)
        return;
    preloaded = 1;
    /* Kept open for the life of the process: glibc unloads a module once
     * no descriptor uses it, and could not load it again in the sandbox. */
    for (size_t i = 0; i < N_CHARSETS; i++)
        converters[i] = iconv_open("UTF-8", charsets[i].iconv_name);
}

/* label lowercased without separators, into out; 0 if it does not fit. */
static int normalise(const char *label, char *out, size_t outsz)
{
    size_t o = 0;
    for (const char *s = label; *s; s++) {
        char c = *s;
        if (c == '-' || c == '_' || c == ' ' || c == '.' || c == ':')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (o + 1 >= outsz)
            return 0;
        out[o++] = c;
    }
    out[o] = '\0';
    return o > 0;
}

static iconv_t converter_for(const char *label)
{
    char key[32];
    if (!label || !normalise(label, key, sizeof key))
        return (iconv_t)-1;
    size_t klen = strlen(key);
    fouille__charset_preload();
    for (size_t i = 0; i < N_CHARSETS; i++)
        for (const char *l = charsets[i].labels; *l;) {
            size_t n = strcspn(l, " ");
            if (n == klen && !memcmp(l, key, n))
                return converters[i];
            l += n;
            while (*l == ' ')
                l++;
        }
    return (iconv_t)-1;
}

int64_t fouille__charset_decode(const struct fouille_sink *sink,
                                const char *charset, const char *in,
                                size_t len, int last, char *out,
                                size_t outsz, size_t *used)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    (void)sink;
    *used = 0;
    iconv_t cd = converter_for(charset);
    if (cd == (iconv_t)-1)
        return -1;
    iconv(cd, NULL, NULL, NULL, NULL); /* the initial state */
    size_t i = 0, o = 0;
    while (i < len) {
        char *ip = (char *)(in + i), *op = out + o;
        size_t il = len - i, ol = outsz - o;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        i = (size_t)(ip - in);
        o = (size_t)(op - out);
        if (r != (size_t)-1 || errno == E2BIG)
            break; /* all converted, or out is full */
        if (errno == EINVAL && !last)
            break; /* a sequence cut by the end: wait for the rest */
        /* EILSEQ, or a cut sequence at the very end: one replacement for
         * the byte, and on with the next. */
        if (outsz - o < sizeof replacement - 1)
            break;
        memcpy(out + o, replacement, sizeof replacement - 1);
        o += sizeof replacement - 1;
        i++;
    }
    /* iconv passes control characters through; the host reads a form feed
     * as a page break. */
    for (size_t k = 0; k < o; k++) {
        unsigned char c = (unsigned char)out[k];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            out[k] = ' ';
    }
    *used = i;
    return (int64_t)o;
}

void fouille__charset_services(struct fouille_sink *sink)
{
    sink->decode_charset = fouille__charset_decode;
}
