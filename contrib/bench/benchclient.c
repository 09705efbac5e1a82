/* benchclient.c -- a small client for contrib/bench/compare: SphinxQL (the
 * MySQL wire protocol, text queries only) and HTTP/1.1 keep-alive GET.
 *
 *   benchclient sphinxql HOST:PORT FILE [-p] [-c CONNS] [-d SECONDS] [-n ROUNDS]
 *   benchclient http     HOST:PORT FILE [-p] [-c CONNS] [-d SECONDS] [-n ROUNDS]
 *
 * FILE holds one request per line: an SQL statement for sphinxql, a path
 * ("/search?q=...") for http. Requests are sent in rotation (connection i
 * starts at line i) over CONNS persistent connections, each one waiting
 * for its answer before sending the next (closed loop), until SECONDS
 * have passed (-d) or every line has been sent ROUNDS times (-n, default
 * 1). It prints one JSON object: requests, errors, seconds, rps, and the
 * round-trip median, p95 and max in milliseconds (from writing the request
 * to reading the end of its answer; connection set-up excluded).
 *
 * -p (print): one connection, each line once; for sphinxql print every
 * result row as tab-separated columns after a "#N" line (N = line number
 * from 0), and "#N error MESSAGE" for an error; for http print "#N STATUS"
 * and the body.
 *
 * The MySQL protocol is spoken minimally: protocol 10 handshake, a 4.1
 * handshake response with an empty password (searchd does not check it),
 * COM_QUERY, and text result sets (column count, column definitions, EOF,
 * rows, EOF) or OK/ERR. Single thread, non-blocking sockets and poll(). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum proto { SQL, HTTP };
enum state { HANDSHAKE, AUTH, IDLE, WAIT };

struct conn {
    int fd;
    enum state st;
    size_t next;      /* request line being sent */
    size_t count;     /* requests sent on this connection */
    double sent_at;
    char *in;         /* bytes received, not yet consumed */
    size_t len, cap;
    /* SQL result parsing */
    int phase;        /* 0 first packet, 1 columns, 2 rows */
    unsigned char seq;
    /* HTTP */
    long body_left;   /* -1: still reading headers */
    int status;
};

static enum proto proto;
static char **lines;
static size_t nlines;
static int print_mode;
static double *samples;
static size_t nsamples, capsamples;
static long errors;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "benchclient: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void fail(const char *msg)
{
    fprintf(stderr, "benchclient: %s\n", msg);
    exit(2);
}

static void read_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t alloc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (!n)
            continue;
        if (nlines == alloc) {
            alloc = alloc ? alloc * 2 : 64;
            lines = realloc(lines, alloc * sizeof *lines);
            if (!lines)
                fail("out of memory");
        }
        lines[nlines++] = strdup(line);
    }
    free(line);
    fclose(f);
    if (!nlines)
        fail("no request in the file");
}

static int connect_to(const char *hostport)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (!colon || (size_t)(colon - hostport) >= sizeof host)
        fail("address must be HOST:PORT");
    memcpy(host, hostport, colon - hostport);
    host[colon - hostport] = 0;
    struct addrinfo hints = {0}, *res;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, colon + 1, &hints, &res))
        fail("cannot resolve the address");
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    if (connect(fd, res->ai_addr, res->ai_addrlen))
        die("connect");
    freeaddrinfo(res);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                struct pollfd pfd = {fd, POLLOUT, 0};
                poll(&pfd, 1, 1000);
                continue;
            }
            die("write");
        }
        p += w;
        n -= w;
    }
}

static void add_sample(double ms)
{
    if (print_mode)
        return;
    if (nsamples == capsamples) {
        capsamples = capsamples ? capsamples * 2 : 4096;
        samples = realloc(samples, capsamples * sizeof *samples);
        if (!samples)
            fail("out of memory");
    }
    samples[nsamples++] = ms;
}

/* ---- MySQL protocol ---- */

static void sql_send_packet(struct conn *c, unsigned char seq,
                            const unsigned char *body, size_t n)
{
    unsigned char *buf = malloc(n + 4);
    if (!buf)
        fail("out of memory");
    buf[0] = n & 0xff;
    buf[1] = (n >> 8) & 0xff;
    buf[2] = (n >> 16) & 0xff;
    buf[3] = seq;
    memcpy(buf + 4, body, n);
    write_all(c->fd, (char *)buf, n + 4);
    free(buf);
}

static void sql_send_auth(struct conn *c, unsigned char seq)
{
    unsigned char body[64] = {0};
    uint32_t caps = 0x0001 /* LONG_PASSWORD */ | 0x0200 /* PROTOCOL_41 */ |
                    0x8000 /* SECURE_CONNECTION */;
    memcpy(body, &caps, 4); /* little-endian hosts only */
    uint32_t maxpkt = 16777216;
    memcpy(body + 4, &maxpkt, 4);
    body[8] = 33; /* utf8_general_ci */
    size_t n = 32;
    memcpy(body + n, "bench", 6);
    n += 6;
    body[n++] = 0; /* empty auth response */
    sql_send_packet(c, seq, body, n);
}

static void send_request(struct conn *c)
{
    const char *req = lines[c->next % nlines];
    c->sent_at = now();
    c->st = WAIT;
    if (proto == SQL) {
        size_t n = strlen(req);
        unsigned char *body = malloc(n + 1);
        if (!body)
            fail("out of memory");
        if (print_mode)
            printf("#%zu\n", c->next);
        body[0] = 3; /* COM_QUERY */
        memcpy(body + 1, req, n);
        sql_send_packet(c, 0, body, n + 1);
        free(body);
        c->phase = 0;
    } else {
        char head[8192];
        int n = snprintf(head, sizeof head,
                         "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", req);
        if (n < 0 || (size_t)n >= sizeof head)
            fail("request line too long");
        write_all(c->fd, head, n);
        c->body_left = -1;
    }
}

/* Length-encoded integer; returns bytes used, 0 when NULL (0xfb). */
static size_t lenenc(const unsigned char *p, uint64_t *v)
{
    if (p[0] < 0xfb) {
        *v = p[0];
        return 1;
    }
    if (p[0] == 0xfb) {
        *v = 0;
        return 0;
    }
    if (p[0] == 0xfc) {
        *v = p[1] | (p[2] << 8);
        return 3;
    }
    if (p[0] == 0xfd) {
        *v = p[1] | (p[2] << 8) | ((uint64_t)p[3] << 16);
        return 4;
    }
    *v = 0;
    for (int i = 8; i >= 1; i--)
        *v = (*v << 8) | p[i];
    return 9;
}

static void print_row(const unsigned char *p, size_t n)
{
    size_t i = 0;
    int first = 1;
    while (i < n) {
        uint64_t len;
        size_t used = lenenc(p + i, &len);
        if (!first)
            putchar('\t');
        first = 0;
        if (!used) { /* NULL */
            i++;
            continue;
        }
        i += used;
        if (len > n - i)
            len = n - i;
        for (size_t k = 0; k < len; k++) {
            unsigned char ch = p[i + k];
            putchar(ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch);
        }
        i += len;
    }
    putchar('\n');
}

/* Handle one packet; returns 1 when the answer is complete. */
static int sql_packet(struct conn *c, const unsigned char *p, size_t n,
                      unsigned char seq)
{
    if (c->st == HANDSHAKE) {
        if (n && p[0] == 0xff)
            fail("searchd refused the connection");
        sql_send_auth(c, seq + 1);
        c->st = AUTH;
        return 0;
    }
    if (c->st == AUTH) {
        if (!n || p[0] != 0x00)
            fail("searchd did not accept the login");
        c->st = IDLE;
        return 0;
    }
    int is_eof = n && n < 9 && p[0] == 0xfe;
    if (n && p[0] == 0xff) {
        errors++;
        if (print_mode)
            printf("#%zu error %.*s\n", c->next,
                   (int)(n > 9 ? n - 9 : 0), (const char *)p + 9);
        return 1;
    }
    switch (c->phase) {
    case 0:
        if (p[0] == 0x00) /* OK: no result set */
            return 1;
        c->phase = 1;
        return 0;
    case 1:
        if (is_eof)
            c->phase = 2;
        return 0;
    default:
        if (is_eof)
            return 1;
        if (print_mode)
            print_row(p, n);
        return 0;
    }
}

/* ---- HTTP ---- */

static int http_parse(struct conn *c, size_t *used)
{
    if (c->body_left < 0) {
        char *end = NULL;
        for (size_t i = 3; i < c->len; i++)
            if (!memcmp(c->in + i - 3, "\r\n\r\n", 4)) {
                end = c->in + i + 1;
                break;
            }
        if (!end)
            return 0;
        c->status = atoi(c->in + 9);
        long cl = 0;
        for (char *h = c->in; h < end; h++)
            if ((h == c->in || h[-1] == '\n') &&
                !strncasecmp(h, "content-length:", 15))
                cl = atol(h + 15);
        size_t hl = end - c->in;
        memmove(c->in, end, c->len - hl);
        c->len -= hl;
        c->body_left = cl;
    }
    if ((long)c->len < c->body_left)
        return 0;
    *used = c->body_left;
    return 1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: benchclient sphinxql|http HOST:PORT FILE "
                        "[-p] [-c CONNS] [-d SECONDS] [-n ROUNDS]\n");
        return 2;
    }
    if (!strcmp(argv[1], "sphinxql"))
        proto = SQL;
    else if (!strcmp(argv[1], "http"))
        proto = HTTP;
    else
        fail("protocol must be sphinxql or http");
    const char *addr = argv[2];
    read_lines(argv[3]);
    int nconn = 1;
    double duration = 0;
    long rounds = 1;
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "-p"))
            print_mode = 1;
        else if (!strcmp(argv[i], "-c") && i + 1 < argc)
            nconn = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-d") && i + 1 < argc)
            duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "-n") && i + 1 < argc)
            rounds = atol(argv[++i]);
        else
            fail("unknown option");
    }
    if (print_mode) {
        nconn = 1;
        duration = 0;
        rounds = 1;
    }
    if (nconn < 1)
        nconn = 1;
    size_t total = duration > 0 ? (size_t)-1 : (size_t)rounds * nlines;

    struct conn *cs = calloc(nconn, sizeof *cs);
    struct pollfd *pfds = calloc(nconn, sizeof *pfds);
    if (!cs || !pfds)
        fail("out of memory");
    size_t issued = 0, done = 0;
    for (int i = 0; i < nconn; i++) {
        cs[i].fd = connect_to(addr);
        cs[i].st = proto == SQL ? HANDSHAKE : IDLE;
        cs[i].next = i;
    }
    /* SQL connections first finish their handshake. */
    double start = 0;
    int ready = proto == HTTP;
    for (;;) {
        if (!ready) {
            ready = 1;
            for (int i = 0; i < nconn; i++)
                if (cs[i].st != IDLE)
                    ready = 0;
        }
        if (ready && !start)
            start = now();
        if (ready) {
            for (int i = 0; i < nconn; i++)
                if (cs[i].st == IDLE && issued < total &&
                    (duration <= 0 || now() - start < duration)) {
                    cs[i].next = print_mode ? issued
                                            : i + cs[i].count * (size_t)nconn;
                    cs[i].count++;
                    send_request(&cs[i]);
                    issued++;
                }
            if (done == issued &&
                (issued >= total || (duration > 0 && now() - start >= duration)))
                break;
        }
        for (int i = 0; i < nconn; i++) {
            pfds[i].fd = cs[i].fd;
            pfds[i].events = POLLIN;
        }
        int r = poll(pfds, nconn, 1000);
        if (r < 0 && errno != EINTR)
            die("poll");
        for (int i = 0; i < nconn; i++) {
            if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            struct conn *c = &cs[i];
            if (c->cap - c->len < 65536) {
                c->cap = c->cap * 2 + 65536;
                c->in = realloc(c->in, c->cap);
                if (!c->in)
                    fail("out of memory");
            }
            ssize_t got = read(c->fd, c->in + c->len, c->cap - c->len);
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (got <= 0)
                fail("the server closed the connection");
            c->len += got;
            for (;;) {
                int complete = 0;
                size_t used = 0;
                if (proto == SQL) {
                    if (c->len < 4)
                        break;
                    const unsigned char *h = (unsigned char *)c->in;
                    size_t n = h[0] | (h[1] << 8) | (h[2] << 16);
                    if (c->len < 4 + n)
                        break;
                    complete = sql_packet(c, h + 4, n, h[3]);
                    used = 4 + n;
                } else {
                    if (c->st != WAIT || !http_parse(c, &used))
                        break;
                    complete = 1;
                    if (c->status != 200)
                        errors++;
                    if (print_mode) {
                        printf("#%zu %d\n", c->next, c->status);
                        fwrite(c->in, 1, used, stdout);
                        putchar('\n');
                    }
                }
                memmove(c->in, c->in + used, c->len - used);
                c->len -= used;
                if (complete && c->st == WAIT) {
                    add_sample((now() - c->sent_at) * 1000.0);
                    c->st = IDLE;
                    done++;
                }
            }
        }
    }
    double secs = now() - start;
    if (print_mode)
        return errors ? 1 : 0;
    qsort(samples, nsamples, sizeof *samples, cmp);
    double p50 = nsamples ? samples[nsamples / 2] : 0;
    double p95 = nsamples ? samples[(size_t)(nsamples * 0.95)] : 0;
    double mx = nsamples ? samples[nsamples - 1] : 0;
    printf("{\"requests\": %zu, \"errors\": %ld, \"connections\": %d, "
           "\"seconds\": %.3f, \"rps\": %.1f, \"p50_ms\": %.3f, "
           "\"p95_ms\": %.3f, \"max_ms\": %.3f}\n",
           nsamples, errors, nconn, secs, secs > 0 ? nsamples / secs : 0,
           p50, p95, mx);
    return 0;
}
