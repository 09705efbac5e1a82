#!/bin/sh
# The Debian package, end to end on this machine: build it
# (dpkg-buildpackage), install it (dpkg -i), check the fouille user, its
# folders, the conffile and the enabled unit (systemd-analyze verify and
# security), start fouilled as fouille with the packaged configuration on
# a sample folder, query it with the installed CLI through the default
# socket, then purge. Needs root and dpkg-buildpackage; leaves the machine
# as it found it (an installed fouille is never touched).
#
# Not in TESTS: `make check-package` runs it (contrib/bootstrap.sh test
# does, once, after the plain build's suite). The build uses
# $FOUILLE_PACKAGE_JOBS jobs (2) and skips the package's own tests.
. "$top_builddir/tests/env.sh"
. "$top_srcdir/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (dpkg -i, runuser)"
for tool in dpkg-buildpackage dh dh_installsysusers runuser python3; do
    command -v $tool >/dev/null 2>&1 ||
        skip_all "$tool missing (apt-get install dpkg-dev debhelper python3)"
done
if dpkg-query -W -f '${Status}' fouille 2>/dev/null | grep -q installed; then
    skip_all "a fouille package is installed here: not replacing it"
fi
[ -e /etc/fouille ] && skip_all "/etc/fouille exists: not overwriting it"
[ -e /var/lib/fouille ] && skip_all "/var/lib/fouille exists: not touching it"
[ -f "$top_srcdir/config.status" ] &&
    skip_all "the source tree is configured in place: the package builds from a clean copy"

had_user=no
getent passwd fouille >/dev/null && had_user=yes
d_pid=
cleanup() {
    [ -n "$d_pid" ] && kill -TERM "$d_pid" 2>/dev/null && wait "$d_pid"
    if dpkg-query -W -f '${Status}' fouille 2>/dev/null | grep -q 'ok installed\|config-files'; then
        FOUILLE_PURGE_INDEX=yes dpkg_wait --purge fouille-plugin-dev fouille >/dev/null 2>&1
    fi
    rm -rf /run/fouille
    [ "$had_user" = no ] && getent passwd fouille >/dev/null && userdel fouille 2>/dev/null
    rm -rf "$t_tmp"
}
trap cleanup EXIT

# ---- build ------------------------------------------------------------------
# From a copy of the sources without build folders (any folder holding a
# config.status) nor .git.
src="$t_tmp/src/fouille"
mkdir -p "$src"
excl=$(cd "$top_srcdir" && for f in */config.status; do
           [ -f "$f" ] && printf -- "--exclude=./%s " "${f%/config.status}"; done)
# shellcheck disable=SC2086
tar -C "$top_srcdir" --exclude=./.git --exclude=./debian/build $excl -cf - . |
    tar -C "$src" -xf -
start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=${FOUILLE_PACKAGE_JOBS:-2}" \
    dpkg-buildpackage -us -uc -b) >"$t_tmp/build.log" 2>&1
rc=$?
ok $rc "dpkg-buildpackage -us -uc -b builds ($(( $(date +%s) - start )) s)"
[ $rc -eq 0 ] || { tail -30 "$t_tmp/build.log" | sed 's/^/# /'; plan_end; exit 1; }
deb=$(ls "$t_tmp"/src/fouille_*.deb 2>/dev/null | head -1)
dev=$(ls "$t_tmp"/src/fouille-plugin-dev_*.deb 2>/dev/null | head -1)
ok $([ -f "$deb" ] && [ -f "$dev" ]; echo $?) "fouille_*.deb and fouille-plugin-dev_*.deb made"

if command -v lintian >/dev/null 2>&1; then
    lintian -I --tag-display-limit 0 "$t_tmp"/src/fouille_*.changes >"$t_tmp/lintian" 2>&1
    sed 's/^/# lintian: /' "$t_tmp/lintian"
    is "$(grep -c '^E:' "$t_tmp/lintian")" 0 "lintian: no error"
fi

# dpkg, waiting (up to 5 min) for another apt or dpkg to finish.
dpkg_wait() {
    n=0
    while :; do
        dpkg "$@" 2>"$t_tmp/dpkg.err"
        rc=$?
        cat "$t_tmp/dpkg.err" >&2
        [ $rc -eq 0 ] && return 0
        grep -q 'lock' "$t_tmp/dpkg.err" && [ $n -lt 150 ] || return $rc
        n=$((n + 1)); sleep 2
    done
}

# ---- install ----------------------------------------------------------------
dpkg_wait -i "$deb" "$dev" >"$t_tmp/install.log" 2>&1
rc=$?
ok $rc "dpkg -i installs both"
[ $rc -eq 0 ] || { sed 's/^/# /' "$t_tmp/install.log"; plan_end; exit 1; }

is "$(getent passwd fouille | cut -d: -f6,7)" "/var/lib/fouille:/usr/sbin/nologin" \
   "the fouille system user exists (home /var/lib/fouille, no shell)"
uid=$(id -u fouille 2>/dev/null)
ok $([ -n "$uid" ] && [ "$uid" -lt 1000 ]; echo $?) "and is a system user (uid $uid)"
is "$(stat -c '%U:%G %a' /var/lib/fouille)" "fouille:fouille 750" "/var/lib/fouille belongs to fouille"
is "$(stat -c '%U:%G %a' /run/fouille)" "fouille:fouille 750" "/run/fouille, the socket's folder, too"
like "$(dpkg-query -W -f '${Conffiles}' fouille)" '/etc/fouille/fouilled.conf' \
     "/etc/fouille/fouilled.conf is a conffile"
like "$(grep '^docs = ' /etc/fouille/fouilled.conf)" '^docs = /srv/fouille/documents$' \
     "whose documents folder is /srv/fouille/documents"
like "$(grep '^db = ' /etc/fouille/fouilled.conf)" '^db = /var/lib/fouille/index$' "and index /var/lib/fouille/index"
n=$(grep -c '^#[a-z_]* = ' /etc/fouille/fouilled.conf)
is "$n" "$(($(/usr/sbin/fouilled --print-config | grep -c '^#[a-z_]* = ') - 2))" \
   "every other key documented with its default, commented out ($n)"
unit=/lib/systemd/system/fouilled.service
ok $([ -f $unit ]; echo $?) "the unit is installed"
ok $([ -L /etc/systemd/system/multi-user.target.wants/fouilled.service ]; echo $?) \
   "and enabled (multi-user.target)"
like "$(grep '^ConditionPathIsDirectory=' $unit)" '/srv/fouille/documents' \
     "it starts only once the documents folder exists"
like "$(grep '^ExecStart=' $unit)" '^ExecStart=/usr/sbin/fouilled ' "ExecStart names the installed daemon"
if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify $unit >"$t_tmp/verify" 2>&1
    rc=$?
    sed 's/^/# verify: /' "$t_tmp/verify"
    is $rc 0 "systemd-analyze verify passes"
    systemd-analyze security --offline=true $unit >"$t_tmp/security" 2>&1
    score=$(sed -n 's/.*Overall exposure level for fouilled.service: \([0-9.]*\).*/\1/p' "$t_tmp/security")
    ok $(python3 -c "import sys; sys.exit(0 if 0 < float('${score:-99}') <= 2.0 else 1)"; echo $?) \
       "systemd-analyze security: ${score:-no score} (2.0 or better)"
fi
for f in /usr/share/man/man1/fouille.1.gz /usr/share/man/man8/fouilled.8.gz \
         /usr/share/fouille/widget/fouille-widget.js /usr/bin/fouille \
         /usr/libexec/fouille-extract /usr/include/fouille/plugin.h; do
    ok $([ -f "$f" ]; echo $?) "$f installed"
done
ls /usr/lib/*/fouille/plugins/text.so >/dev/null 2>&1
ok $? "the plugins are installed"
like "$(pkg-config --variable=plugindir fouille-plugin 2>&1)" '/fouille/plugins$' \
     "fouille-plugin.pc gives the plugin folder"

# ---- run as fouille, query through the default socket ----------------------
docs="$t_tmp/docs"
cp -R "$top_srcdir/contrib/sample-docs" "$docs"
chmod -R a+rX "$t_tmp"
chmod a+x "$t_tmp"
# The packaged configuration, read by default, with the sample folder
# (what systemd would run, but for --docs and a free HTTP port).
runuser -u fouille -- /usr/sbin/fouilled --docs "$docs" --http 127.0.0.1:0 \
    >"$t_tmp/fouilled.log" 2>&1 &
d_pid=$!
i=0
while [ $i -lt 200 ] && ! [ -S /run/fouille/fouilled.sock ]; do
    kill -0 $d_pid 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
done
ok $([ -S /run/fouille/fouilled.sock ]; echo $?) "fouilled, run as fouille, listens on /run/fouille/fouilled.sock"
is "$(stat -c '%U:%G %a' /run/fouille/fouilled.sock 2>&1)" "fouille:fouille 660" \
   "the socket: fouille group members may use it"
i=0
while [ $i -lt 100 ] && kill -0 $d_pid 2>/dev/null; do
    st=$(/usr/bin/fouille status --json 2>/dev/null)
    # Reconciled, and the first batch committed.
    [ "$(echo "$st" | json 'j["reconciled"] and j["documents"] > 0' 2>/dev/null)" = True ] && break
    sleep 0.2; i=$((i + 1))
done
is "$(echo "$st" | json '(j["db"], j["documents"] > 0)')" "('/var/lib/fouille/index', True)" \
   "fouille status (no option): the packaged index, documents indexed"
# The count above is of documents handed to the index writer: the search
# may still wait for their commit.
i=0
while :; do
    s=$(/usr/bin/fouille search --json foncier); rc=$?
    [ $rc -eq 0 ] && echo "$s" | grep -q 'fiches/foncier' && break
    [ $i -ge 100 ] && break
    sleep 0.2; i=$((i + 1))
done
ok $rc "fouille search through the default socket"
like "$(echo "$s" | json '[h["path"] for h in j["hits"]]')" 'fiches/foncier' "finds the sample sheet"
like "$(head -1 "$t_tmp/fouilled.log")" '^[0-9-]{10}T[0-9:]{8}Z fouilled\[[0-9]+\]: ' \
     "logs to a file: time, program[pid]"
f_pid=$(pgrep -u fouille -x fouilled)
ok $([ -n "$f_pid" ]; echo $?) "fouilled runs as fouille"
[ -n "$f_pid" ] && kill -TERM $f_pid
wait $d_pid; rc=$?; d_pid=
is $rc 0 "SIGTERM: a clean stop, exit 0"
ok $([ -d /var/lib/fouille/index ]; echo $?) "the index is in /var/lib/fouille/index"
is "$(stat -c %U /var/lib/fouille/index)" fouille "and belongs to fouille"

# ---- purge --------------------------------------------------------------------
dpkg_wait --purge fouille-plugin-dev fouille >"$t_tmp/purge.log" 2>&1
ok $? "dpkg --purge"
ok $([ ! -e /etc/fouille ] && [ ! -e $unit ] && [ ! -e /usr/sbin/fouilled ]; echo $?) \
   "the configuration, the unit and the programs are gone"
ok $([ ! -e /etc/systemd/system/multi-user.target.wants/fouilled.service ]; echo $?) \
   "the unit is no longer enabled"
ok $([ -d /var/lib/fouille/index ]; echo $?) "the index is kept (FOUILLE_PURGE_INDEX=yes removes it)"
rm -rf /var/lib/fouille

plan_end
