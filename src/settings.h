/* settings.h -- every setting of fouille, in one table.
 *
 * Each key has a type, a default and a one-line description. The same table
 * drives the config file parser (INI, via inih), the `--key=value` command
 * line flags of fouilled and fouille, `fouilled --help`, and the example
 * config in contrib/. Add a setting here and it exists everywhere. */
#ifndef FOUILLE_SETTINGS_H
#define FOUILLE_SETTINGS_H

#include <stddef.h>
#include <stdio.h>

/* X(name, type, default, help). Types: STR, INT (with min/max), BOOL. */
#define FOUILLE__CONFIG_MAP(S, I, B)                                          \
    S(docs, "", "documents folder to index and watch")                        \
    S(db, "", "index folder (created if missing)")                            \
    S(plugin_dir, PKGLIBDIR "/plugins", "folder of extractor plugins (*.so)") \
    S(extract_worker, LIBEXECDIR "/fouille-extract",                          \
      "the extraction worker program")                                        \
    I(workers, 0, 0, 256, "extraction worker processes (0: one per core)")    \
    B(sandbox, 1, "confine workers with seccomp and rlimits")                 \
    I(extract_timeout_ms, 30000, 100, 3600000,                                \
      "wall-clock limit per document (ms)")                                   \
    I(extract_cpu_s, 30, 1, 3600, "CPU time limit per document (s)")          \
    I(extract_memory_mb, 1024, 64, 65536,                                     \
      "address-space limit of a worker (MiB)")                                \
    I(extract_text_max_kb, 8192, 1, 1048576,                                  \
      "extracted text kept per document (KiB); more is cut and flagged")      \
    I(extract_max_pages, 2000, 1, 1000000, "pages read per document")         \
    I(extract_max_inflated_mb, 256, 1, 65536,                                 \
      "bytes a plugin may decompress per document (MiB)")                     \
    I(extract_slow_ms, 2000, 100, 3600000,                                    \
      "a document extracted this long lets small files past it (ms)")         \
    I(extract_quick_max_kb, 512, 0, 1048576,                                  \
      "files up to this size may pass slow documents (KiB, 0: never)")        \
    B(ocr, 1, "recognise the text of scanned pages and images (Tesseract)")   \
    S(ocr_languages, "fra",                                                   \
      "Tesseract languages, joined by '+', the main one first")               \
    I(ocr_dpi, 300, 100, 600, "resolution scanned PDF pages are rendered at") \
    I(ocr_min_confidence, 40, 0, 100,                                         \
      "recognised words with a lower confidence (0-100) are dropped")        \
    I(ocr_max_pages, 200, 1, 100000, "pages recognised per document")        \
    I(ocr_timeout_ms, 600000, 1000, 86400000,                                 \
      "wall-clock limit of a document's recognition (ms)")                    \
    I(ocr_cpu_s, 600, 1, 86400, "CPU time limit of a document's recognition (s)") \
    I(ocr_cache_kb, 262144, 0, 1073741824,                                    \
      "recognised text kept by content hash (KiB, 0: none); the least "      \
      "recently used goes first")                                             \
    I(file_max_mb, 512, 1, 1048576, "larger files are not extracted (MiB)")   \
    S(ignore, "*~,*.swp,*.swx,*.tmp,*.part,*.crdownload,#*#,~$*",             \
      "comma-separated glob patterns of file names to ignore")                \
    B(index_hidden, 0, "index hidden files and folders (names with a dot)")   \
    S(private, "",                                                            \
      "comma-separated globs of staff-only documents, relative to the "       \
      "documents folder (internes/**, rh/**, *.draft.md)")                    \
    I(batch_size, 1000, 1, 1000000,                                           \
      "documents per index commit while catching up")                         \
    I(batch_text_mb, 4, 1, 4096,                                              \
      "MB of text per index commit while catching up (bounds the memory "     \
      "of a batch)")                                                          \
    I(analysis_threads, 0, 0, 64,                                             \
      "threads analysing documents for the index writer (0: one per core, "   \
      "less one)")                                                            \
    I(compact_after_percent, 20, 0, 1000,                                     \
      "rewrite the index with full B-trees once idle after this share of "   \
      "its documents changed (%, 0: never)")                                  \
    I(debounce_ms, 300, 0, 60000, "quiet time before a changed file is read") \
    I(rescan_interval_s, 300, 0, 86400,                                       \
      "periodic full reconcile (s, 0: never)")                                \
    S(socket, "", "Unix socket path (empty: $FOUILLE_SOCKET, else "       \
      SOCKET_DEFAULT ")")   \
    I(socket_mode, 0660, 0, 0777, "Unix socket file mode (octal)")            \
    I(socket_max_line, 65536, 256, 16777216,                                  \
      "largest request line on the socket (bytes)")                           \
    I(socket_max_connections, 64, 1, 100000,                                  \
      "concurrent Unix socket connections")                                   \
    I(socket_idle_timeout_ms, 300000, 100, 86400000,                          \
      "a socket connection that sends nothing is closed after this (ms)")     \
    S(http, "127.0.0.1:8750", "HTTP listen address (empty: no HTTP)")         \
    S(staff_http, "",                                                         \
      "staff HTTP listen address, which sees private documents (empty: none)") \
    S(staff_token_file, "",                                                   \
      "file holding the staff password; required for a non-loopback "        \
      "staff_http")                                                           \
    S(cors_origins, "", "comma-separated allowed CORS origins (* for any)")   \
    S(public_base_url, "", "base URL under which the documents are published") \
    S(staff_base_url, "",                                                     \
      "base URL the staff (staff listener, socket) open documents under, "   \
      "e.g. file:///srv/docs/ (empty: as the public)")                        \
    B(serve_documents, 0, "serve the documents themselves under /doc/")       \
    B(serve_html_inline, 0,                                                   \
      "show HTML documents under /doc/ in the browser (no: as downloads)")    \
    I(http_max_connections, 512, 1, 100000, "concurrent HTTP connections")    \
    I(http_max_header_bytes, 8192, 512, 1048576,                              \
      "request line + headers (bytes)")                                       \
    I(http_max_url, 4096, 64, 1048576, "request URL length (bytes)")          \
    I(http_header_timeout_ms, 10000, 100, 600000,                             \
      "time to receive a request's headers (ms)")                             \
    I(http_idle_timeout_ms, 30000, 100, 3600000,                              \
      "idle keep-alive connection timeout (ms)")                              \
    I(http_write_timeout_ms, 30000, 100, 3600000,                             \
      "time for a client to take each part of an answer (ms)")                \
    I(query_max_len, 1024, 16, 65536, "query length (bytes)")                 \
    I(per_page_max, 100, 1, 1000, "largest page of results")                 \
    I(snippet_chars, 220, 40, 4000, "snippet length (characters)")            \
    S(prefer_formats, "pdf, html, docx, md, odt, txt",                        \
      "which format of a publication leads its hit (file extensions)")        \
    S(synonyms, "", "synonyms file expanded at query time (empty: none)")     \
    I(query_cache_entries, 1024, 0, 1000000,                                  \
      "search results kept until the next commit (0: no cache)")            \
    I(record_memo_mb, 4, 0, 1024,                                             \
      "stored fields and text of the documents shown that each search "     \
      "thread keeps until the next commit (MiB; 0: none)")                  \
    S(shard, "", "index only shard I of N (\"I/N\", 1-based; empty: all)")    \
    I(remote_timeout_ms, 5000, 100, 600000,                                   \
      "connection and query timeout for remote shards (ms)")                  \
    B(remote_partial, 1,                                                      \
      "answer with the shards that respond when some do not (no: fail)")     \
    B(analytics, 1,                                                           \
      "count the public searches, zero-result searches and opened results " \
      "(no visitor data)")                                                    \
    I(analytics_top_k, 1000, 10, 100000,                                      \
      "queries tracked per day, and as many zero-result queries")             \
    I(analytics_days, 90, 1, 3660, "days of search analytics kept")           \
    I(analytics_save_s, 300, 1, 86400,                                        \
      "search analytics are written to the index folder this often (s)")     \
    B(analytics_http, 0,                                                      \
      "serve the search analytics on the public HTTP listener too (the " \
      "staff listener always does)")                                          \
    S(log_level, "info", "error, warning, notice, info or debug")

struct fouille__config {
#define FOUILLE__CFG_S_(name, def, help) char *name;
#define FOUILLE__CFG_I_(name, def, lo, hi, help) long name;
#define FOUILLE__CFG_B_(name, def, help) int name;
    FOUILLE__CONFIG_MAP(FOUILLE__CFG_S_, FOUILLE__CFG_I_, FOUILLE__CFG_B_)
#undef FOUILLE__CFG_S_
#undef FOUILLE__CFG_I_
#undef FOUILLE__CFG_B_
};

/* Fill cfg with the defaults. Returns 0 or -1 (out of memory). */
int fouille__config_init(struct fouille__config *cfg);
void fouille__config_free(struct fouille__config *cfg);

/* Set one key from its textual value ("30", "yes", "0660"). Returns 0, or
 * -1 with a message in err (unknown key, bad value, out of range). */
int fouille__config_set(struct fouille__config *cfg, const char *key,
                        const char *value, char *err, size_t errlen);

/* Whether key names a setting. */
int fouille__config_has(const char *key);

/* Read an INI file (keys at top level or under [fouille]). Returns 0, or -1
 * with "file:line: message" in err. */
int fouille__config_load(struct fouille__config *cfg, const char *path,
                         char *err, size_t errlen);

/* Print every key with its default and help (for --help and the example
 * config). As flags ("  --key=VALUE") or as INI ("# help\n#key = default"). */
void fouille__config_print_help(FILE *out, int as_ini);

/* Checks across keys (e.g. shard syntax). Returns 0 or -1 with err. */
int fouille__config_validate(const struct fouille__config *cfg, char *err,
                             size_t errlen);

/* The config file fouilled reads when no --config is given (if it
 * exists), and where the CLI looks for the daemon's socket setting. */
#define FOUILLE_CONFIG_FILE SYSCONFDIR "/fouille/fouilled.conf"

/* The Unix socket path: the socket setting, else the FOUILLE_SOCKET
 * environment variable, else SOCKET_DEFAULT (configure --with-socket,
 * /run/fouille/fouilled.sock by default: the systemd unit's
 * RuntimeDirectory). The daemon and the CLI resolve it the same way; db
 * is unused (kept for the callers). */
void fouille__socket_path(const char *socket, const char *db, char *out,
                          size_t len);

/* analysis_threads, with 0 resolved: one per online core, less one for
 * the writer's own thread, at least one. */
unsigned fouille__analysis_threads(const struct fouille__config *cfg);

/* The name of setting i (0, 1, ... in table order) and whether it is a
 * boolean, or NULL past the last one. */
const char *fouille__config_key(size_t i, int *is_bool);

#endif
