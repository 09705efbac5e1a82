#!/bin/sh
# The fuzz targets: replay the committed inputs (always), then, when clang
# with libFuzzer is there and FOUILLE_FUZZ_SECONDS is set, fuzz each target
# for that long and fail on any crash or sanitizer report.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

for t in http socket frame zip; do
    out=$("$top_builddir/contrib/fuzz/replay-$t" "$top_srcdir/contrib/fuzz/corpus/$t" 2>&1)
    rc=$?
    n=$(printf '%s\n' "$out" | grep -c '^ok ')
    ok $rc "replay-$t: $n committed inputs pass"
    [ $rc -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /' | tail -20
done

secs=${FOUILLE_FUZZ_SECONDS:-0}
if [ "$secs" -gt 0 ] && command -v clang >/dev/null &&
   echo 'int LLVMFuzzerTestOneInput(const char*d,unsigned long s){return 0;}' |
       clang -x c -fsanitize=fuzzer - -o "$t_tmp/probe" 2>/dev/null; then
    s="$top_srcdir/src"
    flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
           -I$top_builddir -I$s -I$top_srcdir/index -I$top_srcdir/plugins"
    build() { # build NAME SOURCES... LIBS
        name=$1; shift
        # shellcheck disable=SC2086
        clang $flags "$@" -o "$t_tmp/fuzz-$name" 2>"$t_tmp/cc-$name.log"
    }
    build http "$top_srcdir/contrib/fuzz/fuzz-http.c" "$s/httpreq.c" "$s/searchreq.c" "$s/buf.c" -lhttp_parser
    ok $? "libFuzzer build of fuzz-http"
    build socket "$top_srcdir/contrib/fuzz/fuzz-socket.c" "$s/sockproto.c" "$s/searchreq.c" "$s/buf.c" -ljansson
    ok $? "libFuzzer build of fuzz-socket"
    build frame "$top_srcdir/contrib/fuzz/fuzz-frame.c" "$s/frame.c" "$s/doc.c" "$s/buf.c" "$s/registry.c" "$s/log.c" -ldl
    ok $? "libFuzzer build of fuzz-frame"
    # shellcheck disable=SC2046
    build zip "$top_srcdir/contrib/fuzz/fuzz-zip.c" "$s/zipread.c" "$s/charset.c" $(pkg-config --cflags --libs libzip)
    ok $? "libFuzzer build of fuzz-zip"
    for t in http socket frame zip; do
        mkdir -p "$t_tmp/corpus-$t"
        cp "$top_srcdir/contrib/fuzz/corpus/$t"/* "$t_tmp/corpus-$t/"
        ( cd "$t_tmp" && ASAN_OPTIONS=detect_leaks=1 "./fuzz-$t" -max_total_time="$secs" \
              -max_len=65536 -rss_limit_mb=2048 "corpus-$t" >"fuzz-$t.log" 2>&1 )
        rc=$?
        ok $rc "fuzz-$t: ${secs}s of libFuzzer without a crash"
        [ $rc -eq 0 ] || grep -E 'ERROR|SUMMARY|crash-' "$t_tmp/fuzz-$t.log" | head -5 | sed 's/^/# /'
        # Keep crashing inputs where a developer finds them.
        for c in "$t_tmp"/crash-* ; do
            [ -e "$c" ] && cp "$c" "$top_builddir/" && diag "saved $(basename "$c") in the build folder"
        done
    done
fi
plan_end
