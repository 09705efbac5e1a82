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
tests_plugin_run_SOURCES = tests/plugin-run.c src/zipread.c src/charset.c
tests_plugin_run_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(ZIP_CFLAGS)
tests_plugin_run_LDADD = $(JANSSON_LIBS) $(ZIP_LIBS) -ldl

plugin_tests = tests/test-plugins.sh tests/test-plugin-hostile.sh \
	tests/test-plugin-pdftotext.sh
TESTS += $(plugin_tests)
dist_check_SCRIPTS += $(plugin_tests)

# Golden files: tests/data/<format>/<name>.<ext> beside <name>.expected.json;
# tests/data/make-fixtures.py regenerates the binary ones.
EXTRA_DIST += tests/data/make-fixtures.py \
	tests/data/docx/bomb.docx \
	tests/data/docx/bomb.expected.json \
	tests/data/docx/guide.docx \
	tests/data/docx/guide.expected.json \
	tests/data/docx/heading-title.docx \
	tests/data/docx/heading-title.expected.json \
	tests/data/docx/missing-document.docx \
	tests/data/docx/missing-document.expected.json \
	tests/data/docx/not-a-zip.docx \
	tests/data/docx/not-a-zip.expected.json \
	tests/data/docx/password.docx \
	tests/data/docx/password.expected.json \
	tests/data/html/clean.expected.json \
	tests/data/html/clean.html \
	tests/data/html/latin1.expected.json \
	tests/data/html/latin1.html \
	tests/data/html/utf16le-nobom.expected.json \
	tests/data/html/utf16le-nobom.html \
	tests/data/html/random-bytes.expected.json \
	tests/data/html/random-bytes.html \
	tests/data/html/koi8r.expected.json \
	tests/data/html/koi8r.html \
	tests/data/html/unknown-charset.expected.json \
	tests/data/html/unknown-charset.html \
	tests/data/html/undeclared-cp1252.expected.json \
	tests/data/html/undeclared-cp1252.html \
	tests/data/markdown/front-matter.expected.json \
	tests/data/markdown/front-matter.md \
	tests/data/markdown/latin1.expected.json \
	tests/data/markdown/latin1.md \
	tests/data/markdown/utf16le-bom.expected.json \
	tests/data/markdown/utf16le-bom.md \
	tests/data/markdown/utf16be-nobom.expected.json \
	tests/data/markdown/utf16be-nobom.md \
	tests/data/markdown/random-bytes.expected.json \
	tests/data/markdown/random-bytes.md \
	tests/data/markdown/no-front-matter.expected.json \
	tests/data/markdown/no-front-matter.md \
	tests/data/odt/encrypted.expected.json \
	tests/data/odt/encrypted.odt \
	tests/data/odt/heading-title.expected.json \
	tests/data/odt/heading-title.odt \
	tests/data/odt/spreadsheet-type.expected.json \
	tests/data/odt/spreadsheet-type.odt \
	tests/data/odt/tribune.expected.json \
	tests/data/odt/tribune.odt \
	tests/data/pdf/cut-before-xref.expected.json \
	tests/data/pdf/cut-before-xref.pdf \
	tests/data/pdf/cut-early.expected.json \
	tests/data/pdf/cut-early.pdf \
	tests/data/pdf/encrypted.expected.json \
	tests/data/pdf/encrypted.pdf \
	tests/data/pdf/garbage.expected.json \
	tests/data/pdf/garbage.pdf \
	tests/data/pdf/no-text.expected.json \
	tests/data/pdf/no-text.pdf \
	tests/data/pdf/two-pages.expected.json \
	tests/data/pdf/two-pages.pdf \
	tests/data/text/cp1252.expected.json \
	tests/data/text/cp1252.txt \
	tests/data/text/utf16le.expected.json \
	tests/data/text/utf16le.txt \
	tests/data/text/utf16le-nobom.expected.json \
	tests/data/text/utf16le-nobom.txt \
	tests/data/text/utf16be-nobom.expected.json \
	tests/data/text/utf16be-nobom.txt \
	tests/data/text/nul-separated.expected.json \
	tests/data/text/nul-separated.txt \
	tests/data/text/random-bytes.expected.json \
	tests/data/text/random-bytes.txt \
	tests/data/text/ansi-log.expected.json \
	tests/data/text/ansi-log.txt \
	tests/data/text/utf8-bom.expected.json \
	tests/data/text/utf8-bom.txt

# The host services of the plugin SDK (the zip reader and its limits, the
# charset decoder), through the sink as a plugin sees them.
check_PROGRAMS += tests/test-zipread
tests_test_zipread_SOURCES = tests/test-zipread.c tests/unit.h \
	src/zipread.c src/charset.c
tests_test_zipread_CFLAGS = $(AM_CFLAGS) $(ZIP_CFLAGS)
tests_test_zipread_LDADD = $(ZIP_LIBS)
TESTS += tests/test-zipread
