/* server.c -- see server.h. */
#include "config.h"

#include "server.h"


int fouille__server_start(struct fouille__daemon *d, char *err, size_t errlen)
{
    if (fouille__sock_start(d, err, errlen) < 0)
        return -1;
    if ((d->cfg.http[0] || d->cfg.staff_http[0]) &&
        fouille__http_start(d, err, errlen) < 0)
        return -1;
    return 0;
}

void fouille__server_stop(struct fouille__daemon *d)
{
    fouille__http_stop(d);
    fouille__sock_stop(d);
}
