# src/: the daemon, the CLI, the worker, and the code they share.

noinst_LTLIBRARIES += src/libfouille-common.la
src_libfouille_common_la_SOURCES = \
	src/analytics.c src/analytics.h \
	src/buf.c src/buf.h \
	src/charset.c src/charset.h \
	src/cmdline.c src/cmdline.h \
	src/doc.c src/doc.h \
	src/doctype.c src/doctype.h \
	src/extract.c src/extract.h \
	src/frame.c src/frame.h \
	src/indexer.c src/indexer.h \
	src/log.c src/log.h \
	src/pipeline.c src/pipeline.h \
	src/pool.c src/pool.h src/ocr-cache.c src/ocr-cache.h \
	src/reconcile.c src/reconcile.h \
	src/registry.c src/registry.h \
	src/relpath.c src/relpath.h \
	src/render.c src/render.h \
	src/scan.c src/scan.h \
	src/search.c src/search.h src/searchreq.c \
	src/errors.c src/errors.h \
	src/settings.c src/settings.h \
	src/shard.c src/shard.h \
	src/sockproto.c src/sockproto.h \
	src/store.c src/store.h \
	src/strmap.c src/strmap.h \
	src/tally.c src/tally.h \
	src/view.c src/view.h \
	src/writer.c src/writer.h \
	src/zipread.c src/zipread.h
src_libfouille_common_la_CFLAGS = $(AM_CFLAGS) $(MAGIC_CFLAGS) $(UV_CFLAGS) \
	$(JANSSON_CFLAGS) $(INIH_CFLAGS) $(UTF8PROC_CFLAGS) $(ZIP_CFLAGS)
src_libfouille_common_la_LIBADD = index/libfouille-index.la \
	$(MAGIC_LIBS) $(ZIP_LIBS) $(UV_LIBS) $(JANSSON_LIBS) $(INIH_LIBS) \
	$(UTF8PROC_LIBS) $(XAPIAN_LIBS) $(MD_LIBS) -ldl -lpthread

# The CLI.
bin_PROGRAMS += src/fouille
src_fouille_SOURCES = src/fouille.c src/client.c src/client.h \
	src/malloc-conf.c
src_fouille_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(UV_CFLAGS)
src_fouille_LDADD = src/libfouille-common.la $(JEMALLOC_LIBS)
# The index library is C++: link with the C++ driver.
nodist_EXTRA_src_fouille_SOURCES = src/force-cxx-link.cxx

# The daemon.
sbin_PROGRAMS += src/fouilled
src_fouilled_SOURCES = src/fouilled.c src/malloc-conf.c \
	src/daemon.c src/daemon.h \
	src/http.c \
	src/http-internal.h src/http-routes.c src/http-analytics.c \
	src/http-staff.c \
	src/httpreq.c src/httpreq.h \
	src/query.c src/query.h \
	src/server.c src/server.h \
	src/sockserver.c \
	src/stats.c src/stats.h \
	src/watch.c src/watch.h \
	src/assets.h
nodist_src_fouilled_SOURCES = src/assets.c
src_fouilled_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(UV_CFLAGS) \
	$(SYSTEMD_CFLAGS) -I$(top_builddir)/src
src_fouilled_LDADD = src/libfouille-common.la $(HTTP_PARSER_LIBS) \
	$(SYSTEMD_LIBS) $(JEMALLOC_LIBS) -lpthread
nodist_EXTRA_src_fouilled_SOURCES = src/force-cxx-link.cxx

# The web front-end, embedded in the daemon (one copy: contrib/widget/).
web_assets = $(top_srcdir)/src/page.html \
	$(top_srcdir)/contrib/widget/fouille-widget.js \
	$(top_srcdir)/contrib/widget/fouille-widget.css \
	$(top_srcdir)/src/report.html $(top_srcdir)/src/report.js
src/assets.c: $(top_srcdir)/src/gen-assets.sh $(web_assets)
	$(AM_V_GEN)$(MKDIR_P) src && \
	$(SHELL) $(top_srcdir)/src/gen-assets.sh $@ $(web_assets)
BUILT_SOURCES = src/assets.c
CLEANFILES += src/assets.c
EXTRA_DIST += src/gen-assets.sh src/page.html src/report.html src/report.js

# The extraction worker: no index, no network code; only what extraction
# needs, so that its sandbox stays small.
libexec_PROGRAMS += src/fouille-extract
src_fouille_extract_SOURCES = src/fouille-extract.c \
	src/sandbox.c src/sandbox.h \
	src/buf.c src/doc.c src/extract.c src/frame.c src/log.c src/registry.c \
	src/charset.c src/zipread.c
src_fouille_extract_CFLAGS = $(AM_CFLAGS) $(MAGIC_CFLAGS) $(SECCOMP_CFLAGS) \
	$(ZIP_CFLAGS)
src_fouille_extract_LDADD = $(MAGIC_LIBS) $(SECCOMP_LIBS) $(MD_LIBS) \
	$(ZIP_LIBS) -ldl
