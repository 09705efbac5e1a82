/* sockproto.h -- decoding the Unix socket's requests: one JSON object per
 * line, {"op": NAME, ...}. No I/O; the server (sockserver.c) and the fuzz
 * target use the same code. */
#ifndef FOUILLE_SOCKPROTO_H
#define FOUILLE_SOCKPROTO_H

#include "search.h"

#include <jansson.h>
#include <stddef.h>

/* Decode one line. Returns the request object (new reference) and its op
 * in *op (valid while the object lives), or NULL with a message in err. */
json_t *fouille__sockproto_decode(const char *line, size_t len,
                                  const char **op, char *err, size_t errlen);

/* The search parameters of a "search" request (every member but "op";
 * a filter's values may be an array) into sreq. Returns 0, or -1 with a
 * message in err. */
int fouille__sockproto_search(json_t *req,
                              const struct fouille__search_limits *lim,
                              struct fouille__search_req *sreq, char *err,
                              size_t errlen);

#endif
