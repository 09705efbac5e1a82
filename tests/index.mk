# Tests of the index shim (index/).
#
# The index library holds C++: these C programs name a C++ source that is
# never built (automake's dummy.cxx idiom) so that they are linked by the
# C++ driver, with the C++ runtime.
check_PROGRAMS += tests/test-index-french
tests_test_index_french_SOURCES = tests/test-index-french.c tests/tap.h \
	tests/test-index-util.h
nodist_EXTRA_tests_test_index_french_SOURCES = dummy.cxx
tests_test_index_french_LDADD = index/libfouille-index.la
TESTS += tests/test-index-french

check_PROGRAMS += tests/test-index-search
tests_test_index_search_SOURCES = tests/test-index-search.c tests/tap.h \
	tests/test-index-util.h
nodist_EXTRA_tests_test_index_search_SOURCES = dummy.cxx
tests_test_index_search_LDADD = index/libfouille-index.la
TESTS += tests/test-index-search

check_PROGRAMS += tests/test-index-queries
tests_test_index_queries_SOURCES = tests/test-index-queries.c tests/tap.h \
	tests/test-index-util.h
nodist_EXTRA_tests_test_index_queries_SOURCES = dummy.cxx
tests_test_index_queries_LDADD = index/libfouille-index.la
TESTS += tests/test-index-queries

check_PROGRAMS += tests/test-index-shards
tests_test_index_shards_SOURCES = tests/test-index-shards.c tests/tap.h \
	tests/test-index-util.h
nodist_EXTRA_tests_test_index_shards_SOURCES = dummy.cxx
tests_test_index_shards_LDADD = index/libfouille-index.la
TESTS += tests/test-index-shards

check_PROGRAMS += tests/test-index-remote
tests_test_index_remote_SOURCES = tests/test-index-remote.c tests/tap.h \
	tests/test-index-util.h
nodist_EXTRA_tests_test_index_remote_SOURCES = dummy.cxx
tests_test_index_remote_LDADD = index/libfouille-index.la
TESTS += tests/test-index-remote

# Only the API is exported (readelf on the library's objects).
TESTS += tests/test-index-symbols.sh
dist_check_SCRIPTS += tests/test-index-symbols.sh

# The stored text's chunks: a C++ test, it reads the index with Xapian.
# The French analysis against Hunspell's word families (noun and
# adjective inflections), over a vocabulary: the shared corpus's when
# tests/test-index-families.sh finds it, else a sample of its own.
check_PROGRAMS += tests/test-index-families
tests_test_index_families_SOURCES = tests/test-index-families.cc tests/tap.h
tests_test_index_families_CPPFLAGS = $(AM_CPPFLAGS) $(XAPIAN_CFLAGS) \
	$(HUNSPELL_CFLAGS) -I$(top_srcdir)/index
tests_test_index_families_LDADD = index/libfouille-index.la $(XAPIAN_LIBS) \
	$(HUNSPELL_LIBS)
TESTS += tests/test-index-families.sh
dist_check_SCRIPTS += tests/test-index-families.sh

check_PROGRAMS += tests/test-index-textstore
tests_test_index_textstore_SOURCES = tests/test-index-textstore.cc tests/tap.h
tests_test_index_textstore_CPPFLAGS = $(AM_CPPFLAGS) $(XAPIAN_CFLAGS)
tests_test_index_textstore_LDADD = index/libfouille-index.la $(XAPIAN_LIBS)
TESTS += tests/test-index-textstore

# The snippet's scan of the text against the tokenizer it stands for.
check_PROGRAMS += tests/test-index-snippet
tests_test_index_snippet_SOURCES = tests/test-index-snippet.cc tests/tap.h
tests_test_index_snippet_CPPFLAGS = $(AM_CPPFLAGS) $(XAPIAN_CFLAGS)
tests_test_index_snippet_LDADD = index/libfouille-index.la $(XAPIAN_LIBS)
TESTS += tests/test-index-snippet

check_PROGRAMS += tests/test-index-prepare
tests_test_index_prepare_SOURCES = tests/test-index-prepare.c tests/tap.h \
	tests/test-index-util.h
nodist_EXTRA_tests_test_index_prepare_SOURCES = dummy.cxx
tests_test_index_prepare_LDADD = index/libfouille-index.la -lpthread
TESTS += tests/test-index-prepare
