# e2e.sh - shared steps of the end-to-end tests under the real Debian cron.
# Source it; it sets a cleanup trap.  Everything it changes is restored and
# every process it starts is stopped by pid.
set -euo pipefail

: "${CG_MODULE:?CG_MODULE must name the built pam_cronguard.so}"
[ "$(id -u)" = 0 ] || { echo "e2e tests need root"; exit 1; }

E2E_DIR=$(mktemp -d /tmp/cg-e2e-XXXXXX)
chmod 755 "$E2E_DIR"
E2E_LOG=$E2E_DIR/syslog
E2E_USERS=()
E2E_CRON_PID=
E2E_SYSLOG_PID=
E2E_PAM_BACKUP=
E2E_PAM_FILE=/etc/pam.d/cron
E2E_AUDITD_PID=
E2E_AUDIT_WAS=
E2E_ROOT_ALIASES=()
E2E_PIDS=()
: > "$E2E_LOG"

e2e_cleanup() {
	set +e
	[ -n "$E2E_CRON_PID" ] && kill "$E2E_CRON_PID" 2>/dev/null && wait "$E2E_CRON_PID" 2>/dev/null
	rm -f /run/crond.reboot
	declare -F e2e_cleanup_pids >/dev/null && e2e_cleanup_pids
	if [ -n "$E2E_PAM_BACKUP" ]; then
		cp -p "$E2E_PAM_BACKUP" "$E2E_PAM_FILE"
	fi
	for u in "${E2E_USERS[@]}"; do
		crontab -r -u "$u" 2>/dev/null
		userdel -r "$u" >/dev/null 2>&1
		rm -f "/var/mail/$u"
	done
	if [ -n "$E2E_AUDITD_PID" ]; then
		kill "$E2E_AUDITD_PID" 2>/dev/null
		wait "$E2E_AUDITD_PID" 2>/dev/null
		auditctl -e "$E2E_AUDIT_WAS" >/dev/null 2>&1
	fi
	if [ -n "$E2E_SYSLOG_PID" ]; then
		kill "$E2E_SYSLOG_PID" 2>/dev/null
		wait "$E2E_SYSLOG_PID" 2>/dev/null
		rm -f /dev/log
	fi
	declare -F e2e_cleanup_extra >/dev/null && e2e_cleanup_extra
	rm -rf "$E2E_DIR"
}
trap e2e_cleanup EXIT

# Reads syslog: our own listener on /dev/log when no daemon has it.
if [ ! -e /dev/log ]; then
	python3 "$(dirname "${BASH_SOURCE[0]}")/syslog_listener.py" /dev/log "$E2E_LOG" &
	E2E_SYSLOG_PID=$!
	for _ in $(seq 50); do grep -q listening "$E2E_LOG" 2>/dev/null && break; sleep 0.1; done
fi

# e2e_auditd: the Linux audit daemon, so ausearch finds the module's
# records (started only if none runs; stopped at exit by pid).
e2e_auditd() {
	pgrep -x auditd >/dev/null && return 0
	E2E_AUDIT_WAS=$(auditctl -s | awk '/^enabled/ {print $2}')
	/sbin/auditd -n >/dev/null 2>&1 &
	E2E_AUDITD_PID=$!
	for _ in $(seq 50); do
		[ "$(auditctl -s | awk '/^pid/ {print $2}')" = "$E2E_AUDITD_PID" ] && return 0
		sleep 0.1
	done
	echo "auditd did not start" >&2
	return 1
}

e2e_log() {
	if [ -n "$E2E_SYSLOG_PID" ]; then cat "$E2E_LOG"
	else cat /var/log/auth.log /var/log/syslog 2>/dev/null | tail -n 2000; fi
}

# e2e_user NAME: a new user with a home; removed at exit.
e2e_user() {
	useradd -m -s /bin/sh "$1"
	E2E_USERS+=("$1")
}

# e2e_crontab USER TEXT: installs TEXT as USER's crontab with crontab(1).
e2e_crontab() {
	printf '%s' "$2" > "$E2E_DIR/crontab.$1"
	crontab -u "$1" "$E2E_DIR/crontab.$1"
}

# e2e_policy TEXT: writes the policy the module will read.
e2e_policy() {
	printf '%s' "$1" > "$E2E_DIR/policy.conf"
	chmod 644 "$E2E_DIR/policy.conf"
}

# e2e_pam on|off: the module's lines in /etc/pam.d/cron, or the stock file.
e2e_pam() {
	if [ -z "$E2E_PAM_BACKUP" ]; then
		E2E_PAM_BACKUP=$E2E_DIR/pam.cron.orig
		cp -p "$E2E_PAM_FILE" "$E2E_PAM_BACKUP"
	fi
	cp -p "$E2E_PAM_BACKUP" "$E2E_PAM_FILE"
	if [ "$1" = on ]; then
		# The plan cache in the scratch directory: removed with it.
		local args="conffile=$E2E_DIR/policy.conf cachedir=$E2E_DIR/cache ${E2E_MODULE_ARGS:-}"
		{
			echo "account required $CG_MODULE $args"
			echo "auth required $CG_MODULE $args"
			cat "$E2E_PAM_BACKUP"
			echo "session required $CG_MODULE $args"
		} > "$E2E_PAM_FILE"
	fi
}

# e2e_run_cron SECONDS: starts the real cron so @reboot jobs run, waits,
# stops it.  Crontabs must be written before.
e2e_run_cron() {
	local pid
	pid=$(cat /run/crond.pid 2>/dev/null || true)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		echo "a cron daemon (pid $pid) is already running: cannot start the test's own" >&2
		exit 1
	fi
	rm -f /run/crond.reboot
	/usr/sbin/cron -f -L 15 &
	E2E_CRON_PID=$!
	sleep "$1"
	kill "$E2E_CRON_PID"
	wait "$E2E_CRON_PID" 2>/dev/null || true
	E2E_CRON_PID=
	rm -f /run/crond.reboot
	# The jobs' cron processes (which mail the output) outlive the daemon:
	# wait for them, so mail is delivered and the next run starts clean.
	for _ in $(seq "${E2E_JOB_WAIT:-600}"); do
		pgrep -x cron >/dev/null || return 0
		sleep 0.1
	done
	echo "cron jobs still running after the wait" >&2
}

# e2e_wait_file PATH SECONDS: 0 when PATH appears in time.
e2e_wait_file() {
	for _ in $(seq $(( $2 * 10 ))); do [ -e "$1" ] && return 0; sleep 0.1; done
	return 1
}

E2E_PASS=0
E2E_FAIL=0
ok() { echo "ok - $*"; E2E_PASS=$((E2E_PASS + 1)); }
not_ok() { echo "not ok - $*"; E2E_FAIL=$((E2E_FAIL + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
e2e_finish() {
	echo "$E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" = 0 ]
}

# --- Added for the attack and manifest suites; e2e_cleanup calls the two
# cleanup functions, which do nothing when the helpers below were not used.

# Stop what e2e_bg/e2e_tcp_listener started and remove e2e_root_alias's
# accounts (called by e2e_cleanup; nothing to do when they were not used).
e2e_cleanup_pids() {
	local p
	for p in "${E2E_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	E2E_PIDS=()
}
e2e_cleanup_extra() {
	local u
	for u in "${E2E_ROOT_ALIASES[@]}"; do
		crontab -r -u "$u" 2>/dev/null
		# Never -r: the account shares uid 0, its home is removed by name.
		userdel -f "$u" >/dev/null 2>&1
		rm -rf "/home/$u" "/var/mail/$u"
	done
}

# e2e_root_alias NAME: a second name for uid 0 (useradd -o -u 0), with its
# own home /home/NAME, so a root job gets a [user NAME] plan of its own
# without touching root's crontab.  Removed at exit.
e2e_root_alias() {
	useradd -o -u 0 -g 0 -N -M -d "/home/$1" -s /bin/sh "$1" 2>&1 |
		{ grep -v 'outside of the UID_MIN' >&2 || true; }
	id -u "$1" >/dev/null
	E2E_ROOT_ALIASES+=("$1")
	mkdir -m 0700 "/home/$1"
}

# e2e_bg CMD...: starts CMD in the background, stopped by pid at exit.
# Sets E2E_BG_PID.
e2e_bg() {
	"$@" &
	E2E_BG_PID=$!
	E2E_PIDS+=("$E2E_BG_PID")
}

# e2e_tcp_listener FILE COUNT: listens on COUNT free TCP ports of 127.0.0.1
# (stopped at exit) and appends "PORT DATA" to FILE for every connection
# (DATA: the first bytes the client sent, or nothing).  Sets E2E_TCP_PORTS.
e2e_tcp_listener() {
	local file=$1 n=$2
	: > "$file"
	e2e_bg python3 -c '
import select, socket, sys
out, n = sys.argv[1], int(sys.argv[2])
socks = []
for _ in range(n):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    socks.append(s)
with open(out, "a", buffering=1) as f:
    f.write("ports " + " ".join(str(s.getsockname()[1]) for s in socks) + "\n")
    while True:
        ready, _, _ = select.select(socks, [], [])
        for s in ready:
            c, _ = s.accept()
            c.settimeout(2)
            try:
                data = c.recv(200).decode(errors="replace").strip()
            except OSError:
                data = ""
            c.close()
            f.write("%d %s\n" % (s.getsockname()[1], data))
' "$file" "$n"
	for _ in $(seq 50); do grep -q '^ports' "$file" 2>/dev/null && break; sleep 0.1; done
	read -r -a E2E_TCP_PORTS <<<"$(sed -n 's/^ports //p' "$file")"
	[ "${#E2E_TCP_PORTS[@]}" = "$n" ] || { echo "tcp listener did not start" >&2; return 1; }
}

# e2e_landlock_audit SINCE: the kernel's Landlock denial records (types
# 1423 LANDLOCK_ACCESS and 1424 LANDLOCK_DOMAIN, which Debian 12's ausearch
# does not name) logged since the time SINCE (HH:MM:SS today).
e2e_landlock_audit() {
	ausearch -ts today "$1" --raw 2>/dev/null | grep -E 'type=(UNKNOWN\[142[34]\]|LANDLOCK_(ACCESS|DOMAIN))' || true
}
