/* fuzz-zip.c -- the zip reader and the charset decoder the worker offers
 * plugins (zipread.c, charset.c), on whatever bytes a hostile document
 * holds: every member is inflated to its end under a small limit, and the
 * input is decoded from a charset its first byte picks. */
#define _GNU_SOURCE /* memfd_create */
#include "config.h"

#include "charset.h"
#include "zipread.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INFLATED (1u << 20)

static void quiet(void *host, enum fouille_log_level level, const char *fmt,
                  ...)
{
    (void)host;
    (void)level;
    (void)fmt;
}

static void fuzz_zip(const struct fouille_sink *sink, const uint8_t *data,
                     size_t size)
{
    int fd = memfd_create("fuzz-zip", MFD_CLOEXEC);
    if (fd < 0)
        return;
    if (write(fd, data, size) == (ssize_t)size) {
        int status;
        struct fouille_zip *z = sink->zip_open(sink, fd, &status);
        int64_t n = z ? sink->zip_count(z) : 0;
        uint64_t total = 0;
        for (int64_t i = 0; z && i < n && i < 64; i++) {
            (void)sink->zip_name(z, i);
            struct fouille_zip_part *p =
                sink->zip_part_open(z, i, i % 2 ? 4096 : 0, &status);
            static char buf[8192];
            int64_t r;
            while (p && (r = sink->zip_part_read(p, buf, sizeof buf)) > 0)
                total += (uint64_t)r;
            if (p)
                (void)sink->zip_part_close(p);
        }
        if (total > MAX_INFLATED)
            abort(); /* the limit did not hold */
        if (z)
            (void)sink->zip_locate(z, "content.xml", FOUILLE_ZIP_NOCASE);
        sink->zip_close(z);
    }
    close(fd);
}

static void fuzz_charset(const struct fouille_sink *sink, const uint8_t *data,
                         size_t size)
{
    static const char *const labels[] = {
        "utf-8", "latin1", "utf-16le", "utf-16be", "koi8-r", "shift_jis",
        "euc-jp", "iso-2022-jp", "gb18030", "big5", "euc-kr", "unknown"};
    if (size == 0)
        return;
    const char *label = labels[data[0] % (sizeof labels / sizeof labels[0])];
    static char out[4096];
    size_t outsz = 1 + data[0] % sizeof out, used, off = 1;
    while (off < size) {
        int64_t n = sink->decode_charset(sink, label, (const char *)data + off,
                                         size - off, 1, out, outsz, &used);
        if (n < 0)
            return;
        if ((size_t)n > outsz || used > size - off)
            abort();
        if (used == 0)
            break; /* out too small for one character */
        off += used;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fouille_sink sink;
    memset(&sink, 0, sizeof sink);
    sink.abi_version = FOUILLE_PLUGIN_ABI_VERSION;
    sink.struct_size = sizeof sink;
    sink.log = quiet;
    sink.max_inflated_bytes = MAX_INFLATED;
    fouille__zip_services(&sink);
    fouille__charset_services(&sink);
    fuzz_zip(&sink, data, size);
    fuzz_charset(&sink, data, size);
    return 0;
}
