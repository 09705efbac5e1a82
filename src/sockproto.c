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

/* A value as text into num (len bytes) or borrowed from v, or NULL when
 * it is neither a string, a number nor a boolean. */
static const char *scalar_text(json_t *v, char *num, size_t len)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, len, "%lld", (long long)json_integer_value(v));
        return num;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "1" : "0";
    return NULL;
}

int fouille__sockproto_search(json_t *req,
                              const struct fouille__search_limits *lim,
                              struct fouille__search_req *sreq, char *err,
                              size_t errlen)
{
    const char *key;
    json_t *v;
    fouille__search_req_init(sreq, lim);
    json_object_foreach(req, key, v)
    {
        if (strcmp(key, "op") == 0 || json_is_null(v))
            continue;
        if (!fouille__search_param_known(key)) {
            fouille__search_req_set(sreq, lim, key, "", err, errlen);
            continue;
        }
        /* A filter's values may come as an array. */
        size_t n = json_is_array(v) ? json_array_size(v) : 1;
        for (size_t i = 0; i < n; i++) {
            json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
            char num[32];
            const char *text = scalar_text(item, num, sizeof num);
            if (!text) {
                snprintf(err, errlen,
                         "search parameters are strings or numbers");
                return -1;
            }
            if (fouille__search_req_set(sreq, lim, key, text, err, errlen) < 0)
                return -1;
        }
    }
    return fouille__search_req_finish(sreq, lim, err, errlen);
}
