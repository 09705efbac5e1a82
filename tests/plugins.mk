# Tests of the extractor plugins (plugins/).
#
# plugin-run is a stand-alone host (a mock of the worker's sink) that loads
# one plugin from plugins/.libs/, runs it on one file and prints JSON, or
# compares with golden expectations and prints TAP. The scripts drive it:
#   test-plugins.sh           golden files under tests/data/<format>/
#   test-plugin-hostile.sh    $FOUILLE_SHARED/corpus/hostile (skips without)
#   test-plugin-pdftotext.sh  PDF text and pages against pdftotext (skips
#                             without pdftotext or $FOUILLE_SHARED)
check_PROGRAMS += tests/plugin-run
tests_plugin_run_SOURCES = tests/plugin-run.c
tests_plugin_run_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_plugin_run_LDADD = $(JANSSON_LIBS) -ldl

plugin_tests = tests/test-plugins.sh tests/test-plugin-hostile.sh \
	tests/test-plugin-pdftotext.sh
TESTS += $(plugin_tests)
dist_check_SCRIPTS += $(plugin_tests) tests/plugin-lib.sh

# Golden files: tests/data/<format>/<name>.<ext> beside <name>.expected.json;
# tests/data/make-fixtures.py regenerates the binary ones.
EXTRA_DIST += tests/data/make-fixtures.py
