# The index shim: a C API (fouille-index.h) over Xapian, the only C++ in
# the tree. A libtool convenience library; only the fouille_index_* and
# fouille_results_* functions have default visibility
# (tests/test-index-symbols.sh checks it).
#
# It contains C++: a C program that links it must be linked by the C++
# compiler driver, which automake does when the program lists a C++
# source. The usual way, with no file to write:
#   nodist_EXTRA_prog_SOURCES = dummy.cxx
noinst_LTLIBRARIES += index/libfouille-index.la
index_libfouille_index_la_SOURCES = \
	index/fouille-index.h \
	index/analyzer.cc index/analyzer.h \
	index/database.cc \
	index/docdata.cc index/docdata.h \
	index/enumerate.cc \
	index/group.cc index/group.h \
	index/handle.h \
	index/memo.cc index/memo.h \
	index/model.cc index/model.h \
	index/query.cc index/query.h \
	index/search.cc \
	index/shards.cc index/shards.h \
	index/snippet.cc index/snippet.h \
	index/stem.cc index/stem.h \
	index/synonyms.cc index/synonyms.h \
	index/status.cc index/status.h \
	index/textstore.cc index/textstore.h \
	index/utf8.cc index/utf8.h \
	index/writer.cc
index_libfouille_index_la_CPPFLAGS = $(AM_CPPFLAGS) $(XAPIAN_CFLAGS) $(UTF8PROC_CFLAGS) \
	$(LZ4_CFLAGS)
index_libfouille_index_la_CXXFLAGS = $(AM_CXXFLAGS) \
	-fvisibility=hidden -fvisibility-inlines-hidden
index_libfouille_index_la_LIBADD = $(XAPIAN_LIBS) $(UTF8PROC_LIBS) $(LZ4_LIBS)
