/* zipread.h -- the host's zip reader, offered to plugins through the sink
 * (struct fouille_sink's zip_* members; fouille-plugin.h documents them).
 *
 * One implementation of the zip-bomb checks for every container format:
 * plugins never link libzip. The limits come from the sink
 * (max_inflated_bytes, shared by all members of an archive) and from the
 * two constants below, which are properties of the zip format rather than
 * of a machine: no configuration key. */
#ifndef FOUILLE_ZIPREAD_H
#define FOUILLE_ZIPREAD_H

#include "fouille-plugin.h"

/* A member that inflates more than this many times its compressed size is
 * a zip bomb (deflate's best is about 1030:1; XML rarely passes 50:1), */
#define FOUILLE__ZIP_MAX_RATIO 200
/* unless it is smaller than this: small members are not judged. */
#define FOUILLE__ZIP_RATIO_MIN_SIZE ((uint64_t)1 << 20)

/* Set the zip_* members of sink to the host's reader. */
void fouille__zip_services(struct fouille_sink *sink);

#endif
