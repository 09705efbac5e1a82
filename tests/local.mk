# Test programs and scripts; each prints TAP.
include tests/index.mk
include tests/plugins.mk

EXTRA_DIST += tests/lib.sh tests/lsan.supp tests/tap.h \
	tests/data/relevance-ndcg10

# Integration tests driving the real binaries.
TESTS += tests/test-cli-index.sh tests/test-cli.sh tests/test-workers.sh tests/test-daemon.sh \
	tests/test-http.sh tests/test-config.sh tests/test-fuzz.sh \
	tests/test-plugin-example.sh tests/test-hostile-corpus.sh \
	tests/test-paths.sh tests/test-faults.sh tests/test-ocr.sh \
	tests/test-ocr-corpus.sh tests/test-private.sh tests/test-stale.sh \
	tests/test-lanes.sh tests/test-analytics.sh tests/test-pdf-read.sh \
	tests/test-compact.sh tests/test-stop-busy.sh
dist_check_SCRIPTS += tests/test-cli-index.sh tests/test-cli.sh tests/test-workers.sh \
	tests/test-daemon.sh tests/test-http.sh tests/test-config.sh \
	tests/test-fuzz.sh tests/test-plugin-example.sh \
	tests/test-hostile-corpus.sh tests/test-paths.sh tests/test-faults.sh \
	tests/test-ocr.sh tests/test-ocr-corpus.sh tests/test-private.sh \
	tests/test-stale.sh \
	tests/test-lanes.sh tests/test-analytics.sh tests/test-pdf-read.sh \
	tests/test-compact.sh tests/test-stop-busy.sh
EXTRA_DIST += tests/http-client.py tests/ocr/make-scan.py \
	tests/ocr/word-accuracy.py tests/ocr/texte.txt

# Sharded search: three shards behind xapian-tcpsrv and a front daemon
# (skipped without xapian-tcpsrv, from Debian's xapian-tools).
TESTS += tests/test-shards.sh
dist_check_SCRIPTS += tests/test-shards.sh

# The search widget and the staff page in headless Chromium (playwright-core
# is installed by the test into the build tree's tests/browser/).
TESTS += tests/test-browser.sh
dist_check_SCRIPTS += tests/test-browser.sh
EXTRA_DIST += tests/browser/package.json tests/browser/package-lock.json \
	tests/browser/widget.test.js tests/browser/make-docs.py
distclean-local: distclean-browser
distclean-browser:
	-rm -rf tests/browser/node_modules tests/browser/screenshot.png
	-test "$(abs_srcdir)" = "$(abs_builddir)" || \
	  rm -f tests/browser/package.json tests/browser/package-lock.json
.PHONY: distclean-browser

# Hostile plugins that exist only to prove the worker sandbox. Built as
# shared modules (-rpath forces a .so) but never installed.
# Built without sanitizers even in a sanitizer build: they must really
# crash, loop and allocate, not be stopped by UBSan first.
hostile_plugin_cflags = -std=c11 -O1
hostile_plugin_ldflags = -module -avoid-version -shared -rpath /nowhere \
	-export-symbols-regex '^fouille_plugin_entry$$'
check_LTLIBRARIES += tests/hostile-plugins/crash.la \
	tests/hostile-plugins/hang.la tests/hostile-plugins/alloc.la \
	tests/hostile-plugins/garbage.la tests/hostile-plugins/escape.la \
	tests/hostile-plugins/abi-mismatch.la tests/hostile-plugins/slow.la
tests_hostile_plugins_crash_la_SOURCES = tests/hostile-plugins/crash.c
tests_hostile_plugins_crash_la_CPPFLAGS = $(plugin_cppflags)
tests_hostile_plugins_crash_la_CFLAGS = $(hostile_plugin_cflags)
tests_hostile_plugins_crash_la_LDFLAGS = $(hostile_plugin_ldflags)
tests_hostile_plugins_hang_la_SOURCES = tests/hostile-plugins/hang.c
tests_hostile_plugins_hang_la_CPPFLAGS = $(plugin_cppflags)
tests_hostile_plugins_hang_la_CFLAGS = $(hostile_plugin_cflags)
tests_hostile_plugins_hang_la_LDFLAGS = $(hostile_plugin_ldflags)
tests_hostile_plugins_alloc_la_SOURCES = tests/hostile-plugins/alloc.c
tests_hostile_plugins_alloc_la_CPPFLAGS = $(plugin_cppflags)
tests_hostile_plugins_alloc_la_CFLAGS = $(hostile_plugin_cflags)
tests_hostile_plugins_alloc_la_LDFLAGS = $(hostile_plugin_ldflags)
tests_hostile_plugins_garbage_la_SOURCES = tests/hostile-plugins/garbage.c
tests_hostile_plugins_garbage_la_CPPFLAGS = $(plugin_cppflags)
tests_hostile_plugins_garbage_la_CFLAGS = $(hostile_plugin_cflags)
tests_hostile_plugins_garbage_la_LDFLAGS = $(hostile_plugin_ldflags)
tests_hostile_plugins_escape_la_SOURCES = tests/hostile-plugins/escape.c
tests_hostile_plugins_escape_la_CPPFLAGS = $(plugin_cppflags)
tests_hostile_plugins_escape_la_CFLAGS = $(hostile_plugin_cflags)
tests_hostile_plugins_escape_la_LDFLAGS = $(hostile_plugin_ldflags)
tests_hostile_plugins_abi_mismatch_la_SOURCES = tests/hostile-plugins/abi-mismatch.c
tests_hostile_plugins_abi_mismatch_la_CPPFLAGS = $(plugin_cppflags)
tests_hostile_plugins_abi_mismatch_la_CFLAGS = $(hostile_plugin_cflags)
tests_hostile_plugins_abi_mismatch_la_LDFLAGS = $(hostile_plugin_ldflags)
tests_hostile_plugins_slow_la_SOURCES = tests/hostile-plugins/slow.c
tests_hostile_plugins_slow_la_CPPFLAGS = $(plugin_cppflags)
tests_hostile_plugins_slow_la_CFLAGS = $(hostile_plugin_cflags)
tests_hostile_plugins_slow_la_LDFLAGS = $(hostile_plugin_ldflags)
$(tests_hostile_plugins_crash_la_OBJECTS) $(tests_hostile_plugins_hang_la_OBJECTS) \
$(tests_hostile_plugins_alloc_la_OBJECTS) $(tests_hostile_plugins_garbage_la_OBJECTS) \
$(tests_hostile_plugins_escape_la_OBJECTS) $(tests_hostile_plugins_slow_la_OBJECTS) \
$(tests_hostile_plugins_abi_mismatch_la_OBJECTS): plugins/sdk/fouille/plugin.h

# Relevance regression check on the shared corpus (skipped without it).
TESTS += tests/test-relevance.sh
dist_check_SCRIPTS += tests/test-relevance.sh

# The Debian package, built, installed, run and purged on this machine
# (root only). Not in TESTS: it costs a full build, so
# contrib/bootstrap.sh test runs it once, with the plain build.
dist_check_SCRIPTS += tests/test-package.sh
check-package:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS=tests/test-package.sh
.PHONY: check-package

# The private globs (src/view.c), alone.
check_PROGRAMS += tests/test-view
tests_test_view_SOURCES = tests/test-view.c tests/tap.h
nodist_EXTRA_tests_test_view_SOURCES = dummy.cxx
tests_test_view_LDADD = src/libfouille-common.la
TESTS += tests/test-view

# Unit tests of src/, linked against libfouille-common: small named cases,
# each in a child process under its own timeout (tests/unit.h).
check_PROGRAMS += tests/test-pool
tests_test_pool_SOURCES = tests/test-pool.c tests/unit.h
nodist_EXTRA_tests_test_pool_SOURCES = dummy.cxx
tests_test_pool_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS)
tests_test_pool_LDADD = src/libfouille-common.la
TESTS += tests/test-pool

check_PROGRAMS += tests/test-units
tests_test_units_SOURCES = tests/test-units.c tests/unit.h
nodist_EXTRA_tests_test_units_SOURCES = dummy.cxx
tests_test_units_LDADD = src/libfouille-common.la
TESTS += tests/test-units
