# contrib/: what ships beside the programs.
dist_man_MANS = contrib/man/fouille.1 contrib/man/fouilled.8
EXTRA_DIST += contrib/bootstrap.sh contrib/fouilled.conf \
	contrib/systemd/fouilled.service \
	contrib/widget/fouille-widget.js contrib/widget/fouille-widget.css \
	contrib/widget/example.html contrib/widget/screenshot.png \
	contrib/sample-docs \
	contrib/plugin-example/csv.c contrib/plugin-example/Makefile \
	contrib/plugin-example/README.md contrib/plugin-example/sample.csv \
	contrib/shards/start-shards contrib/shards/README.md \
	contrib/synonyms-ess.txt contrib/bench/relevance contrib/bench/queries.tsv

# Fuzz targets (contrib/fuzz/): each links the daemon's own parsing code.
# `make check` replays the committed inputs through a plain driver; with
# clang's libFuzzer, tests/test-fuzz.sh also fuzzes for
# $FOUILLE_FUZZ_SECONDS seconds per target.
check_PROGRAMS += contrib/fuzz/replay-http contrib/fuzz/replay-socket \
	contrib/fuzz/replay-frame
contrib_fuzz_replay_http_SOURCES = contrib/fuzz/fuzz-http.c \
	contrib/fuzz/replay.c src/httpreq.c src/searchreq.c src/buf.c
contrib_fuzz_replay_http_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
contrib_fuzz_replay_http_LDADD = $(HTTP_PARSER_LIBS)
contrib_fuzz_replay_socket_SOURCES = contrib/fuzz/fuzz-socket.c \
	contrib/fuzz/replay.c src/sockproto.c src/searchreq.c src/buf.c
contrib_fuzz_replay_socket_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
contrib_fuzz_replay_socket_LDADD = $(JANSSON_LIBS)
contrib_fuzz_replay_frame_SOURCES = contrib/fuzz/fuzz-frame.c \
	contrib/fuzz/replay.c src/frame.c src/doc.c src/buf.c
EXTRA_DIST += contrib/fuzz/corpus
