# lib.sh - shared by tests/apparmor/test_*.sh (sourced, not a test itself).
#
# Every test works in its own temporary directory (removed on exit) and uses
# existing system users (root daemon bin sys nobody) through --user, so no
# account, file in /etc or daemon is touched.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${CG_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
CRONGUARD=${CRONGUARD:-$SRC/build/cronguard}
PY=/usr/bin/python3
FEATURES=/usr/share/apparmor-features/features
USERS=(root daemon bin sys nobody)

T=$(mktemp -d /tmp/cg-apparmor-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "FAIL: $1 not installed (package $2)"; exit 1; }
}
need apparmor_parser apparmor
[ -x "$CRONGUARD" ] || { echo "FAIL: cronguard binary not found at $CRONGUARD"; exit 1; }
[ -f "$FEATURES" ] || { echo "FAIL: $FEATURES missing (package apparmor)"; exit 1; }

ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# An /etc/apparmor.d look-alike: the system's tunables and abi, our abstraction.
PD=$T/apparmor.d
mkdir -p "$PD/abstractions" "$PD/local"
ln -s /etc/apparmor.d/tunables "$PD/tunables"
ln -s /etc/apparmor.d/abi "$PD/abi"
cp "$SRC/apparmor-profiles/abstractions/cronguard-job" "$PD/abstractions/"

# aa_compile FILE: the CI check of issue 6, offline, against the stored
# kernel feature set.  Includes resolve in apparmor-profiles/ first.
aa_compile() {
	apparmor_parser -Q -K -T -M "$FEATURES" --warn=abi --Werror=abi \
		-I "$SRC/apparmor-profiles" -I /etc/apparmor.d "$1"
}

# aa_query PROFILE CHECK...: see aa_query.py.
aa_query() {
	"$PY" "$HERE/aa_query.py" "$PD" "$@"
}

# policy NAME: writes $T/NAME.conf from stdin, prints its path.
policy() {
	cat > "$T/$1.conf"
	echo "$T/$1.conf"
}

# The test policies of issue 6.
make_policies() {
	# 1. The shipped default policy, with a drop-in naming the profiles
	#    (the shipped file names none, so it generates nothing by itself).
	cp "$SRC/pam_cronguard/cronguard.conf" "$T/default.conf"
	mkdir -p "$T/default.d"
	printf '[default]\napparmor = cronguard-%%u\n' > "$T/default.d/10-apparmor.conf"

	# 2. Locked down: one job directory, sh only, no network, no capabilities.
	policy locked >/dev/null <<'P'
[default]
exec          = /usr/local/lib/cg-test-jobs
interpreters  = /bin/sh /usr/bin/dash
read          = /usr /etc /lib /usr/local/lib/cg-test-jobs
write         = /var/tmp/cg-test-out /dev/null
network       = none
capabilities  = none
apparmor      = cronguard-locked
P

	# 3. TCP ports and extra exec directories, python allowed.
	policy tcp >/dev/null <<'P'
[default]
exec          = /opt/cg-test/bin /srv/cg-test/scripts
interpreters  = /bin/sh /usr/bin/dash /usr/bin/python3
write         = /srv/cg-test/out /dev/null
network       = tcp-connect:25,443,8000-8080
capabilities  = none
apparmor      = cronguard-tcp
[user root]
capabilities  = CAP_NET_BIND_SERVICE CAP_DAC_READ_SEARCH
network       = tcp-connect:443 tcp-bind:80
apparmor      = cronguard-tcp-root
P

	# 4. Per-user names and paths (%u).
	policy peruser >/dev/null <<'P'
[default]
exec          = /srv/cg-test/jobs/%u
interpreters  = /usr/bin/dash
write         = /var/tmp/cg-test-%u /dev/null
network       = none
capabilities  = none
apparmor      = cg-test-%u
P
}
