/* doctype.c -- see doctype.h. */
#include "config.h"

#include "doctype.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *folder, *type;
} folder_types[] = {
    {"rapports", "rapport"}, {"fiches", "fiche"},   {"guides", "guide"},
    {"lettres", "lettre"},   {"presse", "presse"},  {"divers", "divers"},
    {"comptes-rendus", "compte-rendu"},
};

static void copy_type(const char *src, size_t n, char *out, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (isalnum(c) || c == '-' || c == '_')
            out[j++] = (char)tolower(c);
        else if (c >= 0x80 || c == ' ')
            out[j++] = c == ' ' ? '-' : (char)c; /* keep UTF-8 letters */
    }
    out[j] = '\0';
}

void fouille__doctype(const char *relpath, const char *declared, char *out,
                      size_t len)
{
    if (declared && *declared) {
        copy_type(declared, strlen(declared), out, len);
        if (out[0])
            return;
    }
    const char *slash = strchr(relpath, '/');
    if (!slash) {
        snprintf(out, len, "document");
        return;
    }
    size_t n = (size_t)(slash - relpath);
    for (size_t i = 0; i < sizeof folder_types / sizeof folder_types[0]; i++)
        if (strlen(folder_types[i].folder) == n &&
            strncmp(folder_types[i].folder, relpath, n) == 0) {
            snprintf(out, len, "%s", folder_types[i].type);
            return;
        }
    copy_type(relpath, n, out, len);
    if (!out[0])
        snprintf(out, len, "document");
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int plausible_year(int y) { return y >= 1900 && y <= 2099; }

int fouille__date_normalise(const char *date, char out[11])
{
    int y = 0, m = 0, d = 0;
    out[0] = '\0';
    if (!date)
        return -1;
    while (*date == ' ')
        date++;
    if (strncmp(date, "D:", 2) == 0) { /* PDF date */
        date += 2;
        if (!digits(date, 4))
            return -1;
        sscanf(date, "%4d", &y);
        if (digits(date + 4, 2))
            sscanf(date + 4, "%2d", &m);
        if (m && digits(date + 6, 2))
            sscanf(date + 6, "%2d", &d);
    } else if (digits(date, 4) && (date[4] == '\0' || date[4] == '-' ||
                                   date[4] == '/' || date[4] == 'T' ||
                                   date[4] == ' ')) {
        sscanf(date, "%4d", &y);
        if ((date[4] == '-' || date[4] == '/') && digits(date + 5, 2)) {
            sscanf(date + 5, "%2d", &m);
            if (date[7] == date[4] && digits(date + 8, 2))
                sscanf(date + 8, "%2d", &d);
        }
    } else if (digits(date, 2) && (date[2] == '/' || date[2] == '-' ||
                                   date[2] == '.') &&
               digits(date + 3, 2) && date[5] == date[2] &&
               digits(date + 6, 4)) { /* DD/MM/YYYY */
        sscanf(date, "%2d", &d);
        sscanf(date + 3, "%2d", &m);
        sscanf(date + 6, "%4d", &y);
    } else
        return -1;
    if (!plausible_year(y))
        return -1;
    if (m < 1 || m > 12)
        m = d = 0;
    if (d < 1 || d > 31)
        d = 0;
    if (d)
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    else if (m)
        snprintf(out, 11, "%04d-%02d", y, m);
    else
        snprintf(out, 11, "%04d", y);
    return 0;
}

int fouille__path_year(const char *relpath, char out[5])
{
    const char *p = relpath;
    out[0] = '\0';
    while (*p) {
        const char *end = strchr(p, '/');
        if (!end)
            break; /* the file name itself is not a folder */
        if (end - p == 4 && digits(p, 4)) {
            int y;
            sscanf(p, "%4d", &y);
            if (plausible_year(y)) {
                memcpy(out, p, 4);
                out[4] = '\0';
                return 0;
            }
        }
        p = end + 1;
    }
    return -1;
}
