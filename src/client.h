/* client.h -- the fouille CLI's side of the daemon's Unix socket: send one
 * JSON request line, read one JSON response line. */
#ifndef FOUILLE_CLIENT_H
#define FOUILLE_CLIENT_H

#include <jansson.h>
#include <stddef.h>

/* Returns the response (new reference), or NULL with a message in err
 * (daemon not running, socket unreadable, malformed answer). */
json_t *fouille__client_call(const char *socket_path, json_t *request,
                             int timeout_ms, char *err, size_t errlen);

#endif
