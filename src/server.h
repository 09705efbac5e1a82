/* server.h -- the daemon's two doors: the Unix socket (sockserver.c, for
 * staff tools and administration) and HTTP (http.c, for the website). */
#ifndef FOUILLE_SERVER_H
#define FOUILLE_SERVER_H

#include "daemon.h"

#include <stddef.h>

/* Listen on the configured socket and HTTP address. Returns 0 or -1 with
 * err (address in use, bad address, socket owned by a running daemon). */
int fouille__server_start(struct fouille__daemon *d, char *err, size_t errlen);
/* Stop accepting and close every connection. Accepts a daemon whose
 * servers never started. */
void fouille__server_stop(struct fouille__daemon *d);

/* HTTP (http.c): the public listener (http) and the staff listener
 * (staff_http), each when configured. */
int fouille__http_start(struct fouille__daemon *d, char *err, size_t errlen);
void fouille__http_stop(struct fouille__daemon *d);
/* The port HTTP listens on (useful with port 0), or 0. */
unsigned fouille__http_port(const struct fouille__daemon *d);
/* Unix socket (sockserver.c) */
int fouille__sock_start(struct fouille__daemon *d, char *err, size_t errlen);
void fouille__sock_stop(struct fouille__daemon *d);

#endif
