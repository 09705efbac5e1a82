# contrib/: what ships beside the programs.
dist_man_MANS = contrib/man/fouille.1 contrib/man/fouilled.8
EXTRA_DIST += contrib/bootstrap.sh contrib/fouilled.conf \
	contrib/systemd/fouilled.service \
	contrib/widget/fouille-widget.js contrib/widget/fouille-widget.css \
	contrib/widget/example.html \
	contrib/sample-docs
