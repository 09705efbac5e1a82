/* textsniff.c -- see textsniff.h. */
#include "textsniff.h"

enum textsniff textsniff(const unsigned char *p, size_t n)
{
    if (n > TEXTSNIFF_BYTES)
        n = TEXTSNIFF_BYTES;
    size_t pairs = n / 2, nul_even = 0, nul_odd = 0, controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = p[i];
        if (b == 0) {
            if (i % 2)
                nul_odd++;
            else
                nul_even++;
        } else if ((b < 0x20 && b != '\t' && b != '\n' && b != '\v' &&
                    b != '\f' && b != '\r' && b != 0x1B) ||
                   b == 0x7F) {
            controls++;
        }
    }
    if (pairs >= 4) {
        if (nul_odd * 4 >= pairs * 3 && nul_even * 16 <= pairs)
            return TEXTSNIFF_UTF16LE;
        if (nul_even * 4 >= pairs * 3 && nul_odd * 16 <= pairs)
            return TEXTSNIFF_UTF16BE;
    }
    return controls >= 4 && controls * 100 > n ? TEXTSNIFF_BINARY
                                               : TEXTSNIFF_TEXT;
}
