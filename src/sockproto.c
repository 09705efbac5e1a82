/* sockproto.c -- see sockproto.h. */
#include "config.h"

#include "sockproto.h"

#include <stdio.h>
#include <string.h>

json_t *fouille__sockproto_decode(const char *line, size_t len,
                                  const char **op, char *err, size_t errlen)
{
    json_error_t jerr;
    *op = NULL;
    json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!req || !json_is_object(req)) {
        snprintf(err, errlen, "malformed request: %s",
                 req ? "expected a JSON object" : jerr.text);
        json_decref(req);
        return NULL;
    }
    *op = json_string_value(json_object_get(req, "op"));
    if (!*op) {
        snprintf(err, errlen, "missing \"op\"");
        json_decref(req);
        return NULL;
    }
    return req;
}

/* A member as text, or NULL when absent or null; *bad when it is neither
 * a string, a number nor a boolean. */
static const char *member(json_t *req, const char *key, char *num, size_t len,
                          int *bad)
{
    json_t *v = json_object_get(req, key);
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, len, "%lld", (long long)json_integer_value(v));
        return num;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "1" : "0";
    *bad = 1;
    return NULL;
}

int fouille__sockproto_search(json_t *req,
                              const struct fouille__search_limits *lim,
                              struct fouille__search_req *sreq,
                              struct fouille__sockproto_strings *s, char *err,
                              size_t errlen)
{
    static const char *const keys[8] = {"q",    "type",   "year",
                                        "page", "per_page", "sort",
                                        "prefix", "group"};
    const char *v[8];
    int bad = 0;
    for (int i = 0; i < 8; i++)
        v[i] = member(req, keys[i], s->buf[i], sizeof s->buf[i], &bad);
    if (bad) {
        snprintf(err, errlen, "search parameters are strings or numbers");
        return -1;
    }
    return fouille__search_req_parse(sreq, lim, v[0], v[1], v[2], v[3], v[4],
                                     v[5], v[6], v[7], err, errlen);
}
