# The plugin SDK and the extractor plugins shipped with fouille.
#
# Each plugin is one self-contained C file built as a libtool module that
# exports only fouille_plugin_entry(). Plugins are compiled with the SDK include
# path alone (no -I for src/ or index/), and include the ABI header by its
# installed name <fouille/plugin.h>, exactly as an out-of-tree plugin does:
#
#   cc -shared -fPIC $(pkg-config --cflags fouille-plugin) docx.c zipxml.c \
#      -o docx.so $(pkg-config --cflags --libs libxml-2.0)
#
# (zipxml.c, the XML-part reader of the zip-based formats, is compiled into
# docx and odt as ocr-engine.c is into pdf and ocr, and textsniff.c, which
# tells UTF-16 and binary data apart, into text, html and markdown.)

# The ABI header is plugins/fouille-plugin.h in the source tree; the build tree
# gets a copy under its installed name, which is also what `make install` puts
# in $(includedir)/fouille/plugin.h next to fouille-plugin.pc.
fouilleincludedir = $(includedir)/fouille
nodist_fouilleinclude_HEADERS = plugins/sdk/fouille/plugin.h
pkgconfigdir = $(libdir)/pkgconfig
nodist_pkgconfig_DATA = plugins/fouille-plugin.pc
EXTRA_DIST += plugins/fouille-plugin.h plugins/fouille-plugin.pc.in plugins/README.md
CLEANFILES += plugins/sdk/fouille/plugin.h

plugins/sdk/fouille/plugin.h: $(top_srcdir)/plugins/fouille-plugin.h
	$(AM_V_GEN)$(MKDIR_P) plugins/sdk/fouille && \
	cp $(top_srcdir)/plugins/fouille-plugin.h $@

# What every plugin module shares: the SDK include path only, and the link
# flags that make a loadable module with a single exported symbol.
plugin_cppflags = -I$(top_builddir)/plugins/sdk
plugin_ldflags = -module -avoid-version -shared \
	-export-symbols-regex '^fouille_plugin_entry$$'

if BUILD_TEXT_PLUGIN
plugin_LTLIBRARIES += plugins/text.la
plugins_text_la_SOURCES = plugins/text.c plugins/textsniff.c plugins/textsniff.h
plugins_text_la_CPPFLAGS = $(plugin_cppflags)
plugins_text_la_LDFLAGS = $(AM_LDFLAGS) $(plugin_ldflags)
$(plugins_text_la_OBJECTS): plugins/sdk/fouille/plugin.h
endif

if BUILD_PDF_PLUGIN
plugin_LTLIBRARIES += plugins/pdf.la
plugins_pdf_la_SOURCES = plugins/pdf.c
plugins_pdf_la_CPPFLAGS = $(plugin_cppflags)
plugins_pdf_la_CFLAGS = $(AM_CFLAGS) $(PDF_PLUGIN_CFLAGS)
plugins_pdf_la_LDFLAGS = $(AM_LDFLAGS) $(plugin_ldflags)
plugins_pdf_la_LIBADD = $(PDF_PLUGIN_LIBS)
$(plugins_pdf_la_OBJECTS): plugins/sdk/fouille/plugin.h
# With Tesseract, pages without a text layer are rendered and recognised.
if BUILD_OCR_PLUGIN
plugins_pdf_la_SOURCES += plugins/ocr-engine.c plugins/ocr-engine.h
plugins_pdf_la_CPPFLAGS += -DHAVE_OCR
plugins_pdf_la_CFLAGS += $(OCR_PLUGIN_CFLAGS)
plugins_pdf_la_LIBADD += $(OCR_PLUGIN_LIBS) -lm
endif
endif

# Images (PNG, JPEG, TIFF) recognised with Tesseract, decoded by Leptonica.
if BUILD_OCR_PLUGIN
plugin_LTLIBRARIES += plugins/ocr.la
plugins_ocr_la_SOURCES = plugins/ocr.c plugins/ocr-engine.c plugins/ocr-engine.h
plugins_ocr_la_CPPFLAGS = $(plugin_cppflags)
plugins_ocr_la_CFLAGS = $(AM_CFLAGS) $(OCR_PLUGIN_CFLAGS)
plugins_ocr_la_LDFLAGS = $(AM_LDFLAGS) $(plugin_ldflags)
plugins_ocr_la_LIBADD = $(OCR_PLUGIN_LIBS)
$(plugins_ocr_la_OBJECTS): plugins/sdk/fouille/plugin.h
endif

if BUILD_HTML_PLUGIN
plugin_LTLIBRARIES += plugins/html.la
plugins_html_la_SOURCES = plugins/html.c plugins/textsniff.c plugins/textsniff.h
plugins_html_la_CPPFLAGS = $(plugin_cppflags)
plugins_html_la_CFLAGS = $(AM_CFLAGS) $(HTML_PLUGIN_CFLAGS)
plugins_html_la_LDFLAGS = $(AM_LDFLAGS) $(plugin_ldflags)
plugins_html_la_LIBADD = $(HTML_PLUGIN_LIBS)
$(plugins_html_la_OBJECTS): plugins/sdk/fouille/plugin.h
endif

if BUILD_MARKDOWN_PLUGIN
plugin_LTLIBRARIES += plugins/markdown.la
plugins_markdown_la_SOURCES = plugins/markdown.c plugins/textsniff.c \
	plugins/textsniff.h
plugins_markdown_la_CPPFLAGS = $(plugin_cppflags)
plugins_markdown_la_CFLAGS = $(AM_CFLAGS) $(MARKDOWN_PLUGIN_CFLAGS)
plugins_markdown_la_LDFLAGS = $(AM_LDFLAGS) $(plugin_ldflags)
plugins_markdown_la_LIBADD = $(MARKDOWN_PLUGIN_LIBS)
$(plugins_markdown_la_OBJECTS): plugins/sdk/fouille/plugin.h
endif

if BUILD_DOCX_PLUGIN
plugin_LTLIBRARIES += plugins/docx.la
plugins_docx_la_SOURCES = plugins/docx.c plugins/zipxml.c plugins/zipxml.h
plugins_docx_la_CPPFLAGS = $(plugin_cppflags)
plugins_docx_la_CFLAGS = $(AM_CFLAGS) $(DOCX_PLUGIN_CFLAGS)
plugins_docx_la_LDFLAGS = $(AM_LDFLAGS) $(plugin_ldflags)
plugins_docx_la_LIBADD = $(DOCX_PLUGIN_LIBS)
$(plugins_docx_la_OBJECTS): plugins/sdk/fouille/plugin.h
endif

# ODT uses the same library as DOCX (libxml2), and the host's zip reader.
if BUILD_ODT_PLUGIN
plugin_LTLIBRARIES += plugins/odt.la
plugins_odt_la_SOURCES = plugins/odt.c plugins/zipxml.c plugins/zipxml.h
plugins_odt_la_CPPFLAGS = $(plugin_cppflags)
plugins_odt_la_CFLAGS = $(AM_CFLAGS) $(ODT_PLUGIN_CFLAGS)
plugins_odt_la_LDFLAGS = $(AM_LDFLAGS) $(plugin_ldflags)
plugins_odt_la_LIBADD = $(ODT_PLUGIN_LIBS)
$(plugins_odt_la_OBJECTS): plugins/sdk/fouille/plugin.h
endif
