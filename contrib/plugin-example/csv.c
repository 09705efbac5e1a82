/* csv.c -- a fouille extractor plugin for CSV files, built out of tree
 * against the installed plugin header only:
 *
 *   cc -O2 -shared -fPIC -fvisibility=hidden \
 *      $(pkg-config --cflags fouille-plugin) csv.c -o csv.so
 *
 * It emits every cell as text (quoted fields per RFC 4180: "a ""b"" c"),
 * cells separated by a space and rows by a newline, and takes the header
 * row's cells as keywords. It reads the descriptor in chunks and stops when
 * the host's text budget is spent. */
#define _POSIX_C_SOURCE 200809L /* pread */
#include <fouille/plugin.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536
#define MAX_CELL 4096 /* a longer cell is cut: a CSV cell is not a book */

struct parser {
    const struct fouille_sink *sink;
    char cell[MAX_CELL];
    size_t len;
    int quoted;       /* inside a quoted field */
    int quote_seen;   /* a quote inside a quoted field: end or escape */
    int row;          /* 0 for the header row */
    int first_in_row;
    char keywords[1024];
    size_t klen;
    int stop;
};

static int emit(struct parser *p, const char *s, size_t n)
{
    if (!p->stop && p->sink->text(p->sink->host, s, n, 0))
        p->stop = 1;
    return p->stop;
}

static void end_cell(struct parser *p)
{
    if (!p->first_in_row)
        emit(p, " ", 1);
    emit(p, p->cell, p->len);
    if (p->row == 0 && p->len && p->klen + p->len + 2 < sizeof p->keywords) {
        if (p->klen)
            p->keywords[p->klen++] = ',', p->keywords[p->klen++] = ' ';
        memcpy(p->keywords + p->klen, p->cell, p->len);
        p->klen += p->len;
    }
    p->len = 0;
    p->first_in_row = 0;
}

static void end_row(struct parser *p)
{
    end_cell(p);
    emit(p, "\n", 1);
    p->row++;
    p->first_in_row = 1;
}

static void put(struct parser *p, char c)
{
    if (p->len < MAX_CELL)
        p->cell[p->len++] = c;
}

static void feed(struct parser *p, const char *buf, size_t n)
{
    for (size_t i = 0; i < n && !p->stop; i++) {
        char c = buf[i];
        if (p->quoted) {
            if (p->quote_seen) {
                p->quote_seen = 0;
                if (c == '"') {
                    put(p, '"'); /* "" is a quote */
                    continue;
                }
                p->quoted = 0; /* the closing quote: c is read below */
            } else if (c == '"') {
                p->quote_seen = 1;
                continue;
            } else {
                put(p, c == '\n' || c == '\r' ? ' ' : c);
                continue;
            }
        }
        if (c == '"' && p->len == 0)
            p->quoted = 1;
        else if (c == ',' || c == ';' || c == '\t')
            end_cell(p);
        else if (c == '\n')
            end_row(p);
        else if (c != '\r')
            put(p, c);
    }
}

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    static struct parser p; /* large: not on the stack */
    char buf[CHUNK];
    off_t off = 0;
    (void)mime;
    memset(&p, 0, sizeof p);
    p.sink = sink;
    p.first_in_row = 1;
    while (!p.stop) {
        ssize_t n = pread(fd, buf, sizeof buf, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return FOUILLE_E_IO;
        if (n == 0)
            break;
        off += n;
        feed(&p, buf, (size_t)n);
    }
    if (!p.stop && (p.len || !p.first_in_row))
        end_cell(&p);
    if (p.klen)
        sink->field(sink->host, FOUILLE_FIELD_KEYWORDS, p.keywords, p.klen);
    return p.stop ? FOUILLE_E_STOPPED : FOUILLE_OK;
}

static const char *const mime_types[] = {"text/csv", "application/csv",
                                         NULL};
static const char *const extensions[] = {"csv", NULL};

static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "csv",
    .version = "1.0",
    .mime_types = mime_types,
    .extensions = extensions,
    .extract = extract,
};

__attribute__((visibility("default")))
const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &plugin;
}
