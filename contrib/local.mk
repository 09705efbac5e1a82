# contrib/: what ships beside the programs.

# Made from templates with the configured paths (by make, not configure,
# so that "make prefix=..." and the Debian build see their own).
edit = $(SED) \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' \
	-e 's|@libexecdir[@]|$(libexecdir)|g' \
	-e 's|@pkglibdir[@]|$(pkglibdir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@socketpath[@]|$(socketpath)|g' \
	-e 's|@socketdir[@]|$(socketdir)|g'
contrib_templates = contrib/man/fouille.1 contrib/man/fouilled.8 \
	contrib/systemd/fouilled.service contrib/systemd/fouille.sysusers \
	contrib/systemd/fouille.tmpfiles
$(contrib_templates): Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(edit) $(srcdir)/$@.in > $@.tmp && mv $@.tmp $@
contrib/man/fouille.1: $(srcdir)/contrib/man/fouille.1.in
contrib/man/fouilled.8: $(srcdir)/contrib/man/fouilled.8.in
contrib/systemd/fouilled.service: $(srcdir)/contrib/systemd/fouilled.service.in
contrib/systemd/fouille.sysusers: $(srcdir)/contrib/systemd/fouille.sysusers.in
contrib/systemd/fouille.tmpfiles: $(srcdir)/contrib/systemd/fouille.tmpfiles.in

# The installed configuration: the example (every key, its default) with
# the documents folder and the index set, and the configured paths.
contrib/systemd/fouilled.conf: $(srcdir)/contrib/fouilled.conf Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(SED) -e 's|^#docs = .*|docs = /srv/fouille/documents|' \
	    -e 's|^#db = .*|db = $(localstatedir)/lib/fouille/index|' \
	    -e 's|^#plugin_dir = .*|#plugin_dir = $(pkglibdir)/plugins|' \
	    -e 's|^#extract_worker = .*|#extract_worker = $(libexecdir)/fouille-extract|' \
	    $(srcdir)/contrib/fouilled.conf > $@.tmp && mv $@.tmp $@

man_MANS = contrib/man/fouille.1 contrib/man/fouilled.8
systemdsystemunit_DATA = contrib/systemd/fouilled.service
noinst_DATA = contrib/systemd/fouille.sysusers contrib/systemd/fouille.tmpfiles \
	contrib/systemd/fouilled.conf
CLEANFILES += $(contrib_templates) contrib/systemd/fouilled.conf

# sysusers.d and tmpfiles.d files are named after the package; systemd
# reads them from /usr/lib and /usr/local/lib: with another prefix, run
# systemd-sysusers and systemd-tmpfiles --create on them by hand.
sysusersdir = $(prefix)/lib/sysusers.d
tmpfilesdir = $(prefix)/lib/tmpfiles.d
# The configuration is the administrator's once installed: never
# overwritten (the Debian package makes it a conffile).
install-data-local: install-contrib
install-contrib: $(noinst_DATA)
	$(MKDIR_P) "$(DESTDIR)$(sysusersdir)" "$(DESTDIR)$(tmpfilesdir)" \
	    "$(DESTDIR)$(sysconfdir)/fouille"
	$(INSTALL_DATA) contrib/systemd/fouille.sysusers \
	    "$(DESTDIR)$(sysusersdir)/fouille.conf"
	$(INSTALL_DATA) contrib/systemd/fouille.tmpfiles \
	    "$(DESTDIR)$(tmpfilesdir)/fouille.conf"
	if test -f "$(DESTDIR)$(sysconfdir)/fouille/fouilled.conf"; then \
	  echo "$(sysconfdir)/fouille/fouilled.conf exists: left as it is"; \
	else \
	  $(INSTALL_DATA) contrib/systemd/fouilled.conf \
	    "$(DESTDIR)$(sysconfdir)/fouille/fouilled.conf"; \
	fi
# The configuration goes only if it was never changed.
uninstall-local: uninstall-contrib
uninstall-contrib:
	rm -f "$(DESTDIR)$(sysusersdir)/fouille.conf" \
	    "$(DESTDIR)$(tmpfilesdir)/fouille.conf"
	if cmp -s contrib/systemd/fouilled.conf \
	    "$(DESTDIR)$(sysconfdir)/fouille/fouilled.conf"; then \
	  rm -f "$(DESTDIR)$(sysconfdir)/fouille/fouilled.conf"; \
	  rmdir "$(DESTDIR)$(sysconfdir)/fouille" 2>/dev/null || :; \
	fi
.PHONY: install-contrib uninstall-contrib

# The search widget, for websites to copy or serve.
widgetdir = $(pkgdatadir)/widget
dist_widget_DATA = contrib/widget/fouille-widget.js \
	contrib/widget/fouille-widget.css contrib/widget/example.html

EXTRA_DIST += contrib/bootstrap.sh contrib/fouilled.conf \
	contrib/man/fouille.1.in contrib/man/fouilled.8.in \
	contrib/systemd/fouilled.service.in contrib/systemd/fouille.sysusers.in \
	contrib/systemd/fouille.tmpfiles.in \
	contrib/widget/screenshot.png \
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
	contrib/fuzz/replay-frame contrib/fuzz/replay-zip
contrib_fuzz_replay_http_SOURCES = contrib/fuzz/fuzz-http.c \
	contrib/fuzz/replay.c src/httpreq.c src/searchreq.c src/buf.c
contrib_fuzz_replay_http_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
contrib_fuzz_replay_http_LDADD = $(HTTP_PARSER_LIBS)
contrib_fuzz_replay_socket_SOURCES = contrib/fuzz/fuzz-socket.c \
	contrib/fuzz/replay.c src/sockproto.c src/searchreq.c src/buf.c
contrib_fuzz_replay_socket_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
contrib_fuzz_replay_socket_LDADD = $(JANSSON_LIBS)
contrib_fuzz_replay_frame_SOURCES = contrib/fuzz/fuzz-frame.c \
	contrib/fuzz/replay.c src/frame.c src/doc.c src/buf.c src/registry.c \
	src/log.c
contrib_fuzz_replay_frame_LDADD = -ldl
contrib_fuzz_replay_zip_SOURCES = contrib/fuzz/fuzz-zip.c \
	contrib/fuzz/replay.c src/zipread.c src/charset.c
contrib_fuzz_replay_zip_CFLAGS = $(AM_CFLAGS) $(ZIP_CFLAGS)
contrib_fuzz_replay_zip_LDADD = $(ZIP_LIBS)
EXTRA_DIST += contrib/fuzz/corpus
