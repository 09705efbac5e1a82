/* malloc-conf.c -- jemalloc's settings for fouilled and fouille (linked
 * into both when configure found jemalloc).
 *
 * One arena for every thread. Memory often changes threads here: the
 * analysis threads allocate what the index writer frees, the query pool
 * what the loop sends. With an arena per thread each keeps its own freed
 * pages for jemalloc's decay time: the daemon catching up on 10,000
 * documents peaked at 155-167 MB instead of 115-117 MB, and `fouille
 * index` (glibc's malloc, an arena per analysing thread) at 147 MB
 * instead of 113 MB, at the same speed; the threads' caches keep the
 * one arena's lock off the search path. MALLOC_CONF still overrides. */
#include "config.h"

#ifdef HAVE_JEMALLOC
extern const char *malloc_conf;
const char *malloc_conf = "narenas:1";
#endif
