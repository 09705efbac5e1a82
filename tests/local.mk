# Test programs and scripts; each prints TAP.
include tests/index.mk
include tests/plugins.mk
