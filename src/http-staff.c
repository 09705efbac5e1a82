/* http-staff.c -- the staff listener's password (staff_token_file).
 *
 * A browser sends it with HTTP Basic authentication (user "staff"), a
 * script as "Authorization: Bearer PASSWORD". Only the staff listener
 * asks for it; a non-loopback staff_http cannot start without it. The
 * password travels in clear unless a TLS reverse proxy sits in front. */
#include "config.h"

#include "http-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest password accepted, in bytes. */
#define STAFF_PASSWORD_MAX 256

static char *base64(const unsigned char *in, size_t len)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = i + 1 < len ? tab[v >> 6 & 63] : '=';
        *o++ = i + 2 < len ? tab[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

int fouille__staff_auth_load(struct fouille__http *srv, const char *path,
                             char *err, size_t errlen)
{
    char pw[STAFF_PASSWORD_MAX + 2];
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "staff_token_file %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & S_IROTH)) {
        close(fd);
        snprintf(err, errlen,
                 "staff_token_file %s: must be a regular file that other "
                 "users cannot read (chmod o-r)", path);
        return -1;
    }
    ssize_t n = read(fd, pw, sizeof pw - 1);
    close(fd);
    if (n < 0) {
        snprintf(err, errlen, "staff_token_file %s: %s", path, strerror(errno));
        return -1;
    }
    pw[n] = '\0';
    pw[strcspn(pw, "\r\n")] = '\0';
    size_t len = strlen(pw);
    if (len == 0 || len > STAFF_PASSWORD_MAX) {
        explicit_bzero(pw, sizeof pw);
        snprintf(err, errlen,
                 "staff_token_file %s: the first line must hold a password "
                 "of 1 to %d bytes", path, STAFF_PASSWORD_MAX);
        return -1;
    }
    char user_pw[sizeof "staff:" + STAFF_PASSWORD_MAX];
    snprintf(user_pw, sizeof user_pw, "staff:%s", pw);
    char *b64 = base64((const unsigned char *)user_pw, strlen(user_pw));
    size_t blen = b64 ? strlen(b64) + sizeof "Basic " : 0;
    srv->basic_auth = b64 ? malloc(blen) : NULL;
    srv->bearer_auth = malloc(len + sizeof "Bearer ");
    if (srv->basic_auth)
        snprintf(srv->basic_auth, blen, "Basic %s", b64);
    if (srv->bearer_auth)
        snprintf(srv->bearer_auth, len + sizeof "Bearer ", "Bearer %s", pw);
    free(b64);
    explicit_bzero(user_pw, sizeof user_pw);
    explicit_bzero(pw, sizeof pw);
    if (!srv->basic_auth || !srv->bearer_auth) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Compare without stopping at the first difference, so that the time
 * taken says nothing of how much of a guess was right. */
static int same(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < lb; i++)
        diff |= (unsigned char)(a[i < la ? i : 0] ^ b[i]);
    return diff == 0;
}

int fouille__staff_auth_ok(const struct fouille__http *srv,
                           const char *authorization)
{
    if (!srv->basic_auth)
        return 1;
    int basic = same(authorization, srv->basic_auth);
    int bearer = same(authorization, srv->bearer_auth);
    return basic | bearer;
}
