# lib_cronie.sh - the real cronie daemon (Debian trixie's 1.7.2) in a chroot,
# for the end-to-end tests of pam_cronguard under cronie.  Source it; it sets
# a cleanup trap.
#
# The chroot (FIELD-NOTES section 1, "Real cronie on this machine"):
#   - a base tree: `debootstrap --variant=minbase trixie` plus the cronie
#     .deb unpacked with dpkg-deb -x (installing it pulls systemd, whose setup
#     fails in a chroot).  About 50 s and 300 MB, from the Debian mirror only.
#     It lives in CG_CRONIE_CACHE (default /var/tmp/cg-cronie-chroot) and is
#     used read-only: a valid cache (stamp file written last, crond present)
#     is reused, so a second test run in the same CI run costs nothing.
#   - per test run: an overlay mount (lower = the base, upper = a scratch
#     dir) that the test writes into: users, PAM stack, module, policy,
#     crontabs.  Removing the scratch dir removes all of it.  The overlay
#     also makes the chroot's / a mount point, which the module's private
#     /tmp needs (mount(MS_SLAVE) on a chroot's / that is no mount point
#     fails with EINVAL).
#   - a tmpfs /dev with the few device nodes cron and the jobs use, and a
#     syslog listener on its /dev/log (the host's /dev is not bound, so the
#     test neither depends on nor disturbs the host's syslog), and /proc.
# At exit: crond and helpers are stopped by pid, the mounts are undone, the
# scratch dir removed; the base is removed too when this run built it,
# unless CG_CRONIE_KEEP=1 ("built once per CI run and removed afterwards";
# set CG_CRONIE_KEEP=1 to keep it for the next run on a developer machine).
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "cronie tests need root"; exit 1; }
: "${CG_MODULE:?CG_MODULE must name the built pam_cronguard.so}"

CRONIE_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CRONIE_PY=/usr/bin/python3
[ -x "$CRONIE_PY" ] || CRONIE_PY=python3
CG_CRONIE_CACHE=${CG_CRONIE_CACHE:-/var/tmp/cg-cronie-chroot}
CG_CRONIE_SUITE=${CG_CRONIE_SUITE:-trixie}
CRONIE_STAMP=.cg-cronie-base
CRONIE_BUILT_HERE=
CRONIE_RUN=$(mktemp -d /var/tmp/cg-cronie-run-XXXXXX)
chmod 755 "$CRONIE_RUN"
R=$CRONIE_RUN/root                 # the chroot the test runs in
CRONIE_OUT=$CRONIE_RUN/crond.out   # crond's stdout/stderr (debug and log_it lines)
CRONIE_SYSLOG=$CRONIE_RUN/syslog   # what reached the chroot's /dev/log
CRONIE_MOUNTS=()                   # mounted by us, unmounted in reverse order
CRONIE_PIDS=()                     # started by us, stopped by pid
CRONIE_CROND_PID=
CRONIE_PAM_ORIG=$CRONIE_RUN/pam.cronie.orig

cronie_cleanup() {
	set +e
	[ -n "$CRONIE_CROND_PID" ] && kill "$CRONIE_CROND_PID" 2>/dev/null &&
		wait "$CRONIE_CROND_PID" 2>/dev/null
	for pid in "${CRONIE_PIDS[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	for ((i = ${#CRONIE_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${CRONIE_MOUNTS[i]}" 2>/dev/null || umount -l "${CRONIE_MOUNTS[i]}"
	done
	# Nothing may still be mounted below the run dir before rm -rf.
	if ! findmnt -rn -o TARGET | grep -q "^$CRONIE_RUN/"; then
		rm -rf "$CRONIE_RUN"
	else
		echo "cronie: mounts left under $CRONIE_RUN; not removed" >&2
	fi
	if [ -n "$CRONIE_BUILT_HERE" ] && [ "${CG_CRONIE_KEEP:-0}" != 1 ]; then
		# Only when no other run still uses it (they hold a shared lock).
		if flock -x -n 9; then
			rm -rf "$CG_CRONIE_CACHE" "$CG_CRONIE_CACHE.lock"
		else
			echo "cronie: $CG_CRONIE_CACHE still in use; not removed" >&2
		fi
	fi
}
trap cronie_cleanup EXIT

cronie_mount() {      # cronie_mount TARGET mount-args...
	local target=$1
	shift
	mount "$@" "$target"
	CRONIE_MOUNTS+=("$target")
}

cronie_base_valid() {
	[ -f "$CG_CRONIE_CACHE/$CRONIE_STAMP" ] && [ -x "$CG_CRONIE_CACHE/usr/sbin/crond" ] &&
		[ -x "$CG_CRONIE_CACHE/usr/sbin/useradd" ] && [ -e "$CG_CRONIE_CACHE/etc/pam.d/cronie" ]
}

# Builds the base tree unless a valid one is cached.  Builds under an
# exclusive lock, so two runs never build into the same place, and keeps a
# shared lock while the run uses the tree, so a run that built it does not
# remove it from under another.
cronie_base() {
	local lock=$CG_CRONIE_CACHE.lock
	exec 9>"$lock"
	flock -x 9
	cronie_base_build
	flock -s 9
}

cronie_base_build() {
	local tmp t0
	if cronie_base_valid; then
		echo "# cronie: reusing the chroot in $CG_CRONIE_CACHE ($(cat "$CG_CRONIE_CACHE/$CRONIE_STAMP"))"
		return 0
	fi
	command -v debootstrap >/dev/null || { echo "debootstrap is not installed" >&2; return 1; }
	t0=$(date +%s)
	rm -rf "$CG_CRONIE_CACHE" "$CG_CRONIE_CACHE.tmp"
	tmp=$CG_CRONIE_CACHE.tmp
	CRONIE_BUILT_HERE=1
	echo "# cronie: building a $CG_CRONIE_SUITE chroot in $CG_CRONIE_CACHE (debootstrap, about 50 s)"
	if ! debootstrap --variant=minbase "$CG_CRONIE_SUITE" "$tmp" >"$CRONIE_RUN/debootstrap.log" 2>&1; then
		tail -n 20 "$CRONIE_RUN/debootstrap.log" >&2
		rm -rf "$tmp"
		return 1
	fi
	# The chroot's apt sources point at the same suite.  apt-get download
	# runs as root here (no _apt sandbox in the chroot's /).
	(cd "$tmp" && chroot "$tmp" sh -c 'cd / && apt-get -q download cronie' \
		>>"$CRONIE_RUN/debootstrap.log" 2>&1) || { tail -n 5 "$CRONIE_RUN/debootstrap.log" >&2; rm -rf "$tmp"; return 1; }
	local deb
	deb=$(ls "$tmp"/cronie_*.deb)
	dpkg-deb -x "$deb" "$tmp"
	basename "$deb" .deb > "$tmp/$CRONIE_STAMP"
	rm -f "$deb"
	rm -rf "$tmp"/var/cache/apt/archives/*.deb
	mv "$tmp" "$CG_CRONIE_CACHE"
	echo "# cronie: chroot built in $(( $(date +%s) - t0 )) s"
}

# Mounts the run's chroot over the base, with /proc, a small /dev and a
# syslog listener on its /dev/log.
cronie_setup_root() {
	mkdir -p "$CRONIE_RUN/upper" "$CRONIE_RUN/work" "$R"
	cronie_mount "$R" -t overlay overlay \
		-o "lowerdir=$CG_CRONIE_CACHE,upperdir=$CRONIE_RUN/upper,workdir=$CRONIE_RUN/work"
	cronie_mount "$R/proc" -t proc proc
	cronie_mount "$R/dev" -t tmpfs -o mode=755,nosuid,size=1m dev
	local n name ma mi
	for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
		IFS=: read -r name ma mi <<<"$n"
		mknod -m 666 "$R/dev/$name" c "$ma" "$mi"
	done
	ln -s /proc/self/fd "$R/dev/fd"
	: > "$CRONIE_SYSLOG"
	"$CRONIE_PY" "$CRONIE_LIB_DIR/../lib/syslog_listener.py" "$R/dev/log" "$CRONIE_SYSLOG" &
	CRONIE_PIDS+=($!)
	for _ in $(seq 50); do grep -q listening "$CRONIE_SYSLOG" 2>/dev/null && break; sleep 0.1; done
	grep -q listening "$CRONIE_SYSLOG" || { echo "syslog listener did not start" >&2; return 1; }
	# The module, where the chroot's libpam looks for modules.
	install -m 0644 "$CG_MODULE" "$R/usr/lib/x86_64-linux-gnu/security/pam_cronguard.so"
	cp -p "$R/etc/pam.d/cronie" "$CRONIE_PAM_ORIG"
}

# cronie_user NAME: a user with a home in the chroot, and an empty mailbox
# the test MTA appends to.
cronie_user() {
	chroot "$R" useradd -m -s /bin/sh "$1"
	chroot "$R" sh -c "install -m 0600 -o '$1' -g mail /dev/null '/var/mail/$1'"
}

# cronie_crontab USER TEXT: the user's spool crontab, as crontab(1) leaves
# it: owned by the user, mode 0600, in Debian cronie's spool directory.
cronie_crontab() {
	local f=$R/var/spool/cron/crontabs/$1
	printf '%s' "$2" > "$f"
	chroot "$R" chown "$1:$1" "/var/spool/cron/crontabs/$1"
	chmod 0600 "$f"
}

# cronie_policy TEXT: the policy the module reads (/etc/security/cronguard.conf
# in the chroot; root-owned, 0644, as the module requires).
cronie_policy() {
	printf '%s' "$1" > "$R/etc/security/cronguard.conf"
	chown root:root "$R/etc/security/cronguard.conf"
	chmod 0644 "$R/etc/security/cronguard.conf"
}

# cronie_pam on|off: /etc/pam.d/cronie in the chroot: Debian's stock file,
# or the stock file with the shipped snippet's lines added as its comments
# say (account first, session last) and conffile= naming the policy.
cronie_pam() {
	local snippet=$CRONIE_LIB_DIR/../../pam_cronguard/pam.d/cronie args
	cp -p "$CRONIE_PAM_ORIG" "$R/etc/pam.d/cronie"
	[ "$1" = on ] || return 0
	args="conffile=/etc/security/cronguard.conf ${CRONIE_MODULE_ARGS:-}"
	{
		grep -E '^account[[:space:]]' "$snippet" | sed "s|pam_cronguard.so.*|pam_cronguard.so $args|"
		cat "$CRONIE_PAM_ORIG"
		grep -E '^session[[:space:]]' "$snippet" | sed "s|pam_cronguard.so.*|pam_cronguard.so $args|"
	} > "$R/etc/pam.d/cronie"
	grep -q pam_cronguard "$R/etc/pam.d/cronie"
}

# cronie_run NJOBS TIMEOUT: starts crond so @reboot jobs run, waits until
# NJOBS jobs have ended or been refused (cronie's own log lines), or
# TIMEOUT seconds, then stops that crond by pid.
cronie_run() {
	local want=$1 timeout=$2 n
	rm -f "$R/run/cron.reboot"
	: > "$CRONIE_OUT"
	chroot "$R" /usr/sbin/crond -n -x sch,proc,load,misc >"$CRONIE_OUT" 2>&1 &
	CRONIE_CROND_PID=$!
	for _ in $(seq $((timeout * 10))); do
		n=$(grep -cE 'log_it: .* (CMDEND|FAILED to authorize user with PAM|FAILED to open PAM security session) ' \
			"$CRONIE_OUT" || true)
		[ "$n" -ge "$want" ] && break
		sleep 0.1
	done
	sleep 0.5   # the mailer of the last job
	kill "$CRONIE_CROND_PID"
	wait "$CRONIE_CROND_PID" 2>/dev/null || true
	CRONIE_CROND_PID=
	rm -f "$R/run/cron.reboot"
}

CRONIE_PASS=0
CRONIE_FAIL=0
ok() { echo "ok - $*"; CRONIE_PASS=$((CRONIE_PASS + 1)); }
not_ok() { echo "not ok - $*"; CRONIE_FAIL=$((CRONIE_FAIL + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
cronie_finish() {
	echo "$CRONIE_PASS passed, $CRONIE_FAIL failed"
	if [ "$CRONIE_FAIL" != 0 ]; then
		echo "--- crond output (last run)"; tail -n 60 "$CRONIE_OUT"
		echo "--- syslog (all runs)"; tail -n 80 "$CRONIE_SYSLOG"
	fi
	[ "$CRONIE_FAIL" = 0 ]
}
