/* fouille-plugin.h -- the extractor plugin ABI of fouille.
 *
 * This is the only header a plugin sees. It is installed as
 * <fouille/plugin.h> together with fouille-plugin.pc, so a plugin builds out of
 * tree with:
 *
 *   cc -shared -fPIC $(pkg-config --cflags fouille-plugin) my.c -o my.so
 *
 * A plugin is a shared object that exports exactly one symbol,
 * fouille_plugin_entry(), returning a pointer to a static, constant
 * struct fouille_plugin. The host (the fouille-extract worker, or the fouille
 * CLI in in-process mode) loads every .so of the plugin directory once, checks
 * the ABI version and struct size, calls init() once, then extract() once per
 * document, and fini() before it exits.
 *
 * Stability rules:
 *  - Fields of struct fouille_plugin and struct fouille_sink are only ever
 *    appended. Each struct starts with abi_version and struct_size, so either
 *    side can tell which fields exist.
 *  - FOUILLE_PLUGIN_ABI_VERSION changes only when an existing field changes
 *    meaning or moves; the host then refuses the plugin with a log line naming
 *    the file and both versions.
 *
 * Ownership rules:
 *  - Every pointer the host passes in (mime, sink, strings) is valid only for
 *    the duration of the call that received it.
 *  - Every string the plugin passes to the sink is copied by the host before
 *    the callback returns; the plugin keeps ownership and may reuse its buffer.
 *  - The plugin never allocates anything the host must free, never exits,
 *    never writes to stdout/stderr (use sink->log), and never closes the file
 *    descriptor it is given.
 *
 * Strings are UTF-8. The host validates everything a plugin emits and replaces
 * invalid sequences with U+FFFD, so a plugin may pass text it could not fully
 * decode; it should still convert from the document's own charset. Text must
 * not contain form feeds ('\f'): the host uses them as page breaks (it turns
 * a stray one into a newline).
 *
 * Execution rules:
 *  - extract() is never called concurrently: a worker process extracts one
 *    document at a time, on one thread.
 *  - In the default, sandboxed worker, a plugin cannot open files, make
 *    sockets or start processes once init() has returned (the call kills the
 *    worker and the document fails with "sandbox violation: ..."). Load
 *    every data file, table or module the library needs lazily (font or
 *    encoding tables) in init(); for charsets use sink->decode_charset,
 *    whose converters the host loaded before the sandbox closed.
 *  - fini() releases what init() made; it must not tear down state shared
 *    with other plugins (e.g. xmlCleanupParser()).
 *  - Settings for OCR plugins: the host sets the environment variable
 *    FOUILLE_OCR_LANGUAGES (Tesseract language names joined by '+', e.g.
 *    "fra+eng"; empty when OCR is off) before init(), and OMP_THREAD_LIMIT=1
 *    (one thread per worker: the pool decides the parallelism).
 *
 * This header is C99 and self-contained.
 */
#ifndef FOUILLE_PLUGIN_H
#define FOUILLE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. */
#define FOUILLE_PLUGIN_ABI_VERSION 1u

/* The one symbol a plugin exports. */
#define FOUILLE_PLUGIN_ENTRY_SYMBOL "fouille_plugin_entry"

/* Metadata fields a plugin may report. Each may be reported at most once per
 * document; a second report of the same field replaces the first. */
enum fouille_field {
    FOUILLE_FIELD_TITLE = 0,       /* the document's title, one line */
    FOUILLE_FIELD_AUTHOR = 1,      /* author(s), free text */
    FOUILLE_FIELD_DATE = 2,        /* ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
                                    * (a longer timestamp is accepted and cut
                                    * to its date) */
    FOUILLE_FIELD_LANGUAGE = 3,    /* BCP 47 tag, e.g. "fr" or "fr-FR" */
    FOUILLE_FIELD_DESCRIPTION = 4, /* abstract or subject */
    FOUILLE_FIELD_KEYWORDS = 5,    /* comma-separated keywords or tags */
    FOUILLE_FIELD_TYPE = 6,        /* publication type when the document says
                                    * it (e.g. Markdown front matter "type");
                                    * overrides the type the host derives from
                                    * the folder */
    FOUILLE_FIELD_COUNT_ = 7       /* not a field: number of fields */
};

/* Status codes returned by extract(). The host turns each into a reason
 * shown to users ("encrypted", "malformed", ...). */
enum fouille_status {
    FOUILLE_OK = 0,          /* extraction complete (it may have no text) */
    FOUILLE_E_UNSUPPORTED = 1, /* content is not of a format this plugin reads */
    FOUILLE_E_MALFORMED = 2, /* the file is damaged beyond recovery */
    FOUILLE_E_ENCRYPTED = 3, /* the document needs a password */
    FOUILLE_E_LIMIT = 4,     /* a limit (size, ratio) was exceeded before
                              * any usable text: the document fails. A
                              * document cut at max_pages or at the text
                              * budget is not a failure: return
                              * FOUILLE_E_STOPPED (or FOUILLE_OK) and the
                              * host keeps the text, flagged truncated. */
    FOUILLE_E_NOMEM = 5,     /* memory allocation failed */
    FOUILLE_E_IO = 6,        /* reading the descriptor failed */
    FOUILLE_E_STOPPED = 7,   /* the plugin stopped early on purpose: a sink
                              * call returned non-zero (text budget spent)
                              * or max_pages was reached; what was emitted
                              * is kept */
    FOUILLE_E_FAILED = 8     /* any other failure; say why with sink->log */
};

/* Log levels for sink->log, as syslog's. */
enum fouille_log_level {
    FOUILLE_LOG_ERR = 3,
    FOUILLE_LOG_WARNING = 4,
    FOUILLE_LOG_INFO = 6,
    FOUILLE_LOG_DEBUG = 7
};

/* Handles of the host's zip reader (see zip_open below): opaque. */
struct fouille_zip;
struct fouille_zip_part;

/* Flags of sink->zip_locate(). */
#define FOUILLE_ZIP_NOCASE 1u /* compare names ignoring ASCII case (OOXML) */

/* The host services a plugin reaches during extract(). Passed by the host;
 * valid for the duration of the extract() call only. */
struct fouille_sink {
    uint32_t abi_version; /* FOUILLE_PLUGIN_ABI_VERSION of the host */
    uint32_t struct_size; /* sizeof(struct fouille_sink) in the host */

    /* Opaque host state: pass it back as the first argument of every
     * callback below. */
    void *host;

    /* Report a metadata field. value need not be NUL-terminated; len is its
     * length in bytes. Returns 0, or non-zero when the host wants the plugin
     * to stop (it should then return FOUILLE_E_STOPPED promptly). */
    int (*field)(void *host, enum fouille_field field, const char *value,
                 size_t len);

    /* Append body text. Consecutive calls are concatenated as they are: a
     * plugin emits the separators (space, newline) that the format implies,
     * e.g. a newline after each paragraph or table cell. page is the 1-based
     * page the text belongs to, or 0 for formats without pages; pages must be
     * reported in increasing order. Returns 0 to continue, non-zero when the
     * text budget is spent (the host keeps what it received and flags the
     * document as truncated): the plugin should return FOUILLE_E_STOPPED. */
    int (*text)(void *host, const char *utf8, size_t len, unsigned page);

    /* Log a message about the current document (printf-style). The host adds
     * the plugin's name and the document; do not end with a newline. */
    void (*log)(void *host, enum fouille_log_level level, const char *fmt,
                ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;

    /* Bytes of text the host will still accept for this document. Plugins
     * with expensive decoding (decompression, page rendering) use it to stop
     * early. */
    size_t (*text_budget)(void *host);

    /* Hard limits in force for this document, for plugins that must bound
     * work before producing text: the largest number of pages the host wants
     * (0: no limit) and the largest number of bytes a plugin should inflate
     * or decode from a compressed container (0: no limit). */
    unsigned max_pages;
    uint64_t max_inflated_bytes;

    /* ---- Appended: optical character recognition (OCR). A plugin reads
     * these only when FOUILLE_SINK_HAS(sink, ocr_needed) is true; an older
     * host does not have them (and never asks for OCR).
     *
     * Recognition is slow, so the host runs it in a second, lower-priority
     * pass: the first extraction of a document has ocr_pages == 0, and a
     * plugin that meets a page (or image) without usable text calls
     * ocr_needed() for it instead of recognising it, emitting everything
     * else as usual. The host then extracts the document again in its OCR
     * lane, with ocr_pages > 0. */

    /* Pages (or images) the plugin may recognise in this document; 0: no
     * recognition in this extraction. Past it, the plugin stops and
     * returns FOUILLE_E_LIMIT if nothing was recognised, FOUILLE_E_STOPPED
     * otherwise. */
    unsigned ocr_pages;
    /* Wall-clock milliseconds all recognition of this document may take
     * (0: no limit); a plugin that runs out returns as for ocr_pages. */
    unsigned ocr_time_ms;
    /* Resolution to render vector pages at for recognition (dots per
     * inch), and the confidence (0-100) below which a recognised word is
     * dropped. */
    unsigned ocr_dpi;
    unsigned ocr_min_confidence;
    /* Append recognised text: as text(), and the host flags the document
     * as holding OCR text (hits say so). */
    int (*ocr_text)(void *host, const char *utf8, size_t len, unsigned page);
    /* Say that page (1-based; 1 for a single image) has no usable text and
     * should be recognised in the OCR pass. */
    void (*ocr_needed)(void *host, unsigned page);

    /* ---- Appended: zip containers (DOCX, ODT, XLSX, EPUB...). A plugin
     * uses these only when FOUILLE_SINK_HAS(sink, zip_close) is true; with
     * an older host it says so with log() and returns FOUILLE_E_FAILED.
     *
     * The host opens the archive and inflates its members, and enforces
     * the zip-bomb checks once for every plugin: a member whose declared
     * size is over what remains of max_inflated_bytes (all members of the
     * archive together) or over the plugin's own cap, or whose
     * compression ratio is above 200:1 (members over 1 MiB), is refused
     * before anything is inflated; the bytes actually inflated are counted
     * too, so a member that lies about its size stops at the limit. The
     * host logs each refusal. These take the sink itself (not host) and
     * then the handles; a plugin closes every handle it opens before
     * extract() returns. */

    /* Open the zip archive in fd (the descriptor stays the plugin's).
     * Returns a handle, or NULL with *status set: FOUILLE_E_UNSUPPORTED
     * (not a zip), FOUILLE_E_MALFORMED, FOUILLE_E_IO or FOUILLE_E_NOMEM. */
    struct fouille_zip *(*zip_open)(const struct fouille_sink *sink, int fd,
                                    int *status);
    /* The index of the member called name (flags: FOUILLE_ZIP_NOCASE or
     * 0), or -1 when there is none. */
    int64_t (*zip_locate)(struct fouille_zip *zip, const char *name,
                          unsigned flags);
    /* The number of members, and the name of member i (NULL when i is out
     * of range; valid until zip_close()). */
    int64_t (*zip_count)(struct fouille_zip *zip);
    const char *(*zip_name)(struct fouille_zip *zip, int64_t i);
    /* Start inflating member i, refusing it beforehand when it would
     * inflate to more than size_cap bytes (0: no cap of the plugin's own,
     * only max_inflated_bytes). Returns a handle, or NULL with *status set:
     * FOUILLE_E_LIMIT, FOUILLE_E_ENCRYPTED, FOUILLE_E_MALFORMED or
     * FOUILLE_E_NOMEM. */
    struct fouille_zip_part *(*zip_part_open)(struct fouille_zip *zip,
                                              int64_t i, uint64_t size_cap,
                                              int *status);
    /* Read up to len inflated bytes into buf. Returns the number read, 0
     * at the end of the member, or -1 when the data is damaged or a limit
     * was reached (zip_part_close() tells which). */
    int64_t (*zip_part_read)(struct fouille_zip_part *part, void *buf,
                             size_t len);
    /* Finish a member. Returns FOUILLE_OK, FOUILLE_E_LIMIT (it inflated past
     * a limit) or FOUILLE_E_MALFORMED (damaged compressed data). */
    int (*zip_part_close)(struct fouille_zip_part *part);
    /* Close the archive (NULL is accepted). */
    void (*zip_close)(struct fouille_zip *zip);

    /* ---- Appended: character sets. Use when
     * FOUILLE_SINK_HAS(sink, decode_charset) is true.
     *
     * Convert in[0..len), in the charset labelled charset (a label as
     * documents declare it: "iso-8859-15", "windows-1251", "koi8-r",
     * "shift_jis"... case, '-' and '_' do not matter; "iso-8859-1",
     * "latin1" and "us-ascii" mean Windows-1252, as in browsers), to UTF-8
     * in out[0..outsz). Invalid and unmappable sequences become U+FFFD,
     * control characters other than tab and newline become spaces. At most
     * outsz bytes are written (room for 4 bytes per input byte always
     * suffices); *used receives the input bytes consumed: a sequence cut
     * by the end of in is left for the next call unless last is non-zero.
     * Each call starts in the charset's initial state. Returns the number
     * of bytes written, or -1 when the host does not know the charset (the
     * plugin then guesses, e.g. UTF-8 else Windows-1252). Works inside the
     * sandbox, where a plugin cannot load converters itself. */
    int64_t (*decode_charset)(const struct fouille_sink *sink,
                              const char *charset, const char *in,
                              size_t len, int last, char *out, size_t outsz,
                              size_t *used);

    /* ---- Appended: an OCR pass that does not extract twice. Read only
     * when FOUILLE_SINK_HAS(sink, ocr_wanted).
     *
     * When ocr_only is non-zero, the host kept the fields and text of the
     * first pass: the plugin need only recognise the pages for which
     * ocr_wanted() is true (those it reported with ocr_needed()), without
     * reading any other page's text; whatever else it emits is ignored. A
     * plugin that does not know these members extracts everything again,
     * which stays correct, only slower. */
    int ocr_only;
    int (*ocr_wanted)(void *host, unsigned page);
};

/* Whether the host's sink has the (appended) member m. */
#define FOUILLE_SINK_HAS(sink, m)                                            \
    ((sink)->struct_size >=                                                  \
     offsetof(struct fouille_sink, m) + sizeof((sink)->m))

/* What a plugin declares. Return a pointer to a static const instance from
 * fouille_plugin_entry(). */
struct fouille_plugin {
    uint32_t abi_version; /* must be FOUILLE_PLUGIN_ABI_VERSION */
    uint32_t struct_size; /* must be sizeof(struct fouille_plugin) */

    const char *name;    /* short unique name, [a-z0-9-]+, e.g. "pdf" */
    const char *version; /* plugin version, e.g. "1.0"; a change makes the
                          * host re-extract documents this plugin failed on */

    /* NULL-terminated list of MIME types handled, as libmagic reports them
     * ("application/pdf"). Must contain at least one entry. */
    const char *const *mime_types;

    /* NULL-terminated list of lowercase file extensions without the dot
     * ("pdf"), used only when content sniffing gives a generic type
     * (text/plain, application/octet-stream, application/zip...). May be NULL. */
    const char *const *extensions;

    /* Optional: called once per process before any extract(). Return 0 on
     * success; a non-zero return disables the plugin (with a log line). */
    int (*init)(void);

    /* Optional: called once before the process exits. */
    void (*fini)(void);

    /* Extract one document. fd is an open, readable, seekable descriptor
     * positioned at offset 0 (use pread() or lseek(), never close it; it may
     * be the only way to reach the file: workers cannot open paths). mime is
     * the detected MIME type (one of mime_types, or a generic type when the
     * plugin was chosen by extension). Reports go through sink. Returns an
     * enum fouille_status value. */
    int (*extract)(int fd, const char *mime, const struct fouille_sink *sink);
};

/* The entry point every plugin defines. */
const struct fouille_plugin *fouille_plugin_entry(void);

/* Convenience for plugin authors: a struct initialiser head.
 *   static const struct fouille_plugin p = { FOUILLE_PLUGIN_HEADER, ... }; */
#define FOUILLE_PLUGIN_HEADER \
    FOUILLE_PLUGIN_ABI_VERSION, (uint32_t)sizeof(struct fouille_plugin)

#ifdef __cplusplus
}
#endif

#endif /* FOUILLE_PLUGIN_H */
