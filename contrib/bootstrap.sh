#!/bin/sh
# bootstrap.sh -- set up fouille on a Debian 12 machine (run as root or
# through sudo).
#
#   contrib/bootstrap.sh run [DOCS]   install, build, start the daemon on
#                                     DOCS (default: contrib/sample-docs);
#                                     search at http://127.0.0.1:8750/
#   contrib/bootstrap.sh test         install, build, run every test (plain
#                                     and sanitizer builds) and print
#                                     "N passed, N failed, N skipped"
#   contrib/bootstrap.sh deps         install the Debian packages only
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Build and run-time dependencies (README: "Dependencies" says why each).
packages="build-essential autoconf automake libtool pkg-config
  libuv1-dev libxapian-dev libmagic-dev libpoppler-glib-dev libxml2-dev
  libmd4c-dev libzip-dev libutf8proc-dev liblz4-dev libjansson-dev
  libhttp-parser-dev libinih-dev libseccomp-dev libsystemd-dev libmd-dev
  libjemalloc-dev
  libtesseract-dev libleptonica-dev tesseract-ocr-fra tesseract-ocr-eng"
# Test-only dependencies: JSON checks in shell tests, PDF reference text,
# Ghostscript to make scanned-page fixtures,
# Xapian's remote server for the shard tests, sanitizer runtimes and
# libFuzzer, HTTP client; the Debian package's build, lint and install
# (dpkg-dev, debhelper, lintian; procps for pgrep; systemd for systemd-sysusers,
# systemd-tmpfiles and systemd-analyze); strace (how many system calls the
# PDF plugin reads its file with); Chromium and Node.js for the browser tests
# (npm comes with the Node.js of nodesource, which conflicts with Debian's).
test_packages="python3 poppler-utils ghostscript xapian-tools clang libclang-rt-14-dev
  curl chromium nodejs libhunspell-dev hunspell-fr dpkg-dev debhelper lintian
  systemd procps strace"
command -v npm >/dev/null 2>&1 || test_packages="$test_packages npm"

deps() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "bootstrap.sh: run as root (or with sudo) to install packages" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $packages "$@"
}

build() { # build DIR [configure flags]
    dir=$1; shift
    [ -x "$top/configure" ] || ./autogen.sh
    mkdir -p "$dir"
    (cd "$dir" && "$top/configure" -q "$@" && make -j"$(nproc)" -s)
}

# Sum the results of automake's .trs files under DIR.
count() {
    find "$1" -name '*.trs' -exec cat {} + 2>/dev/null |
        awk '/^:test-result: PASS/ {p++} /^:test-result: XFAIL/ {p++}
             /^:test-result: (FAIL|XPASS|ERROR)/ {f++}
             /^:test-result: SKIP/ {s++}
             END {printf "%d %d %d\n", p, f, s}'
}
# failures DIR: the end of each failed test's log, so that a CI log says why.
failures() {
    grep -l '^:test-result: \(FAIL\|XPASS\|ERROR\)' -r "$1" --include='*.trs' |
    while read -r trs; do
        echo "---- $1: ${trs%.trs}.log (last 40 lines)"
        tail -n 40 "${trs%.trs}.log" 2>/dev/null
    done
}

case "${1:-}" in
deps)
    deps
    ;;
run)
    docs=${2:-$top/contrib/sample-docs}
    deps
    build build
    state="$top/build/state"
    mkdir -p "$state"
    # The daemon runs as the user who typed sudo, who then owns its index
    # and socket: the search command below works for them without root.
    # Started as root directly (no sudo), or when that user cannot read the
    # tree or the folder, it stays root.
    user=root
    if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] &&
        runuser -u "$SUDO_USER" -- test -r "$docs" -a -x "$docs" \
            -a -x "$top/build/src/fouilled"; then
        user=$SUDO_USER
        chown -R "$user" "$state"
    fi
    echo "bootstrap.sh: starting fouilled as $user on $docs"
    echo "bootstrap.sh: search at http://127.0.0.1:8750/ or with:"
    echo "    build/src/fouille search --socket build/state/fouilled.sock foncier"
    echo "bootstrap.sh: Ctrl-C stops it"
    exec runuser -u "$user" -- build/src/fouilled --config /dev/null \
        --docs "$docs" --db "$state/index" \
        --socket "$state/fouilled.sock" --http 127.0.0.1:8750 \
        --serve-documents \
        --synonyms="$top/contrib/synonyms-ess.txt" \
        --plugin-dir="$top/build/plugins/.libs" \
        --extract-worker="$top/build/src/fouille-extract"
    ;;
test)
    deps $test_packages
    rc=0
    build build || rc=1
    # The plain build also fuzzes each parser for a bounded time.
    (cd build && FOUILLE_FUZZ_SECONDS=${FOUILLE_FUZZ_SECONDS:-60} make -s check -j2) || rc=1
    # The Debian package: built (2 jobs), installed, run, purged; once.
    (cd build && make -s check-package) || rc=1
    build build-sanitizers --enable-sanitizers || rc=1
    (cd build-sanitizers && make -s check -j2) || rc=1
    failures build
    failures build-sanitizers
    set -- $(count build) $(count build-sanitizers)
    echo "plain build: $1 passed, $2 failed, $3 skipped"
    echo "sanitizer build: $4 passed, $5 failed, $6 skipped"
    passed=$(($1 + $4)); failed=$(($2 + $5)); skipped=$(($3 + $6))
    [ "$failed" -eq 0 ] || rc=1
    [ "$passed" -gt 0 ] || rc=1
    echo "$passed passed, $failed failed, $skipped skipped"
    exit $rc
    ;;
*)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
