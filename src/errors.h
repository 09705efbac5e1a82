/* errors.h -- what an HTTP client is told when a request fails: a stable,
 * machine-readable code and a French message for the people who read it
 * (the search page shows it), beside the English message of the logs.
 *
 *   { "error": english, "status": N, "code": "...", "message": french } */
#ifndef FOUILLE_ERRORS_H
#define FOUILLE_ERRORS_H

/* The code and French message of an error answered with status and the
 * English message msg. Never NULL. */
void fouille__error_describe(int status, const char *msg, const char **code,
                             const char **message);

#endif
