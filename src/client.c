/* client.c -- see client.h. Plain blocking sockets: the CLI does one
 * request at a time. */
#include "config.h"

#include "client.h"

#include "buf.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESPONSE (64u << 20)

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

json_t *fouille__client_call(const char *socket_path, json_t *request,
                             int timeout_ms, char *err, size_t errlen)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof a.sun_path) {
        snprintf(err, errlen, "socket path too long: %s", socket_path);
        return NULL;
    }
    snprintf(a.sun_path, sizeof a.sun_path, "%s", socket_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (e == ENOENT || e == ECONNREFUSED)
            snprintf(err, errlen,
                     "fouilled is not running (no daemon answers on %s); "
                     "start it, or search an index directly with --db",
                     socket_path);
        else
            snprintf(err, errlen, "%s: %s", socket_path, strerror(e));
        return NULL;
    }
    char *line = json_dumps(request, JSON_COMPACT);
    struct fouille__buf out = {0};
    json_t *res = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!line || fouille__buf_append(&out, line, strlen(line)) < 0 ||
        fouille__buf_appendc(&out, '\n') < 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (size_t off = 0; off < out.len;) {
        ssize_t n = send(fd, out.data + off, out.len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "sending to fouilled: %s", strerror(errno));
            goto done;
        }
        off += (size_t)n;
    }
    fouille__buf_reset(&out);
    for (;;) {
        char *nl = out.len ? memchr(out.data, '\n', out.len) : NULL;
        if (nl) {
            json_error_t jerr;
            res = json_loadb(out.data, (size_t)(nl - out.data), 0, &jerr);
            if (!res)
                snprintf(err, errlen, "malformed answer from fouilled: %s",
                         jerr.text);
            goto done;
        }
        long left = timeout_ms - elapsed_ms(&t0);
        struct pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)left) == 0) {
            snprintf(err, errlen, "fouilled did not answer within %d ms",
                     timeout_ms);
            goto done;
        }
        if (fouille__buf_reserve(&out, 65536) < 0 || out.len > MAX_RESPONSE) {
            snprintf(err, errlen, "answer too large");
            goto done;
        }
        ssize_t n = recv(fd, out.data + out.len, out.cap - out.len - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "fouilled closed the connection");
            goto done;
        }
        out.len += (size_t)n;
    }
done:
    free(line);
    fouille__buf_free(&out);
    close(fd);
    return res;
}
