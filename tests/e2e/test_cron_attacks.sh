#!/usr/bin/env bash
# The job confinement under the real Debian cron (issue 4): every attack is
# first shown to work without the module, then shown blocked with it, with
# the job's own output (mailed through exim4), the module's log or the
# kernel's Landlock audit record that proves it.  Benign jobs keep working.
#
# One policy (the shipped cronguard.conf plus a [user] section per attacker)
# and one cron run per mode cover every attack: each attacker is its own
# user, root jobs are uid-0 aliases (useradd -o -u 0) with their own plan.
source "$(dirname "$0")/../lib/e2e.sh"
here=$(cd "$(dirname "$0")" && pwd)
src=${CG_SOURCE_DIR:-$here/../..}

sfx=$(printf "%x%x" $$ $RANDOM | tail -c 6)
ex_user=cgax$sfx      # runs a script from /tmp and from its home
etc_user=cgaw$sfx     # uid 0, root's plan: writes to /etc
chown_user=cgac$sfx   # uid 0, capabilities = none: chown
suid_user=cgas$sfx    # runs a setuid-root copy of id
net_user=cgan$sfx     # network = none: TCP connect
port_user=cgap$sfx    # network = tcp-connect:ONE PORT: another port
uring_user=cgau$sfx   # io_uring socket
tmp_user=cgat$sfx     # reads another user's file in /tmp
kill_user=cgak$sfx    # signals a process of its own user outside the job
ok_user=cgab$sfx      # benign: whitelisted script, write path, mail
mail_user=cgam$sfx    # receives the root aliases' job mail (exim4 never delivers to uid 0)
for u in $ex_user $suid_user $net_user $port_user $uring_user $tmp_user $kill_user \
	$ok_user $mail_user; do
	e2e_user "$u"
done
e2e_root_alias "$etc_user"
e2e_root_alias "$chown_user"

xdir=/usr/local/lib/cg-attack-$sfx       # root-owned, whitelisted exec dir
vdir=/var/tmp/cg-attack-$sfx             # the chown target's directory
etc_file=/etc/cg-attack-$sfx
tmp_script=/tmp/cg-attack-x-$sfx.sh
secret=/tmp/cg-attack-secret-$sfx
attacks_cleanup() {
	rm -rf "$xdir" "$vdir"
	rm -f "$etc_file" "$tmp_script" "$secret"
}
trap 'attacks_cleanup; e2e_cleanup' EXIT

mkdir -m 0755 "$xdir" "$vdir"
cp /usr/bin/id "$xdir/id"
chmod 4755 "$xdir/id"
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$xdir/io_uring_socket" \
	"$src/tests/e2e/io_uring_socket.c"
printf '#!/bin/sh\necho benign-%s\necho ok > "$HOME/data/ok"\n' "$sfx" > "$xdir/good.sh"
printf 'echo x > "$HOME/outside" || echo write-outside-refused\n' >> "$xdir/good.sh"
chmod 0755 "$xdir/good.sh"
printf '#!/bin/sh\necho ran-home\n' > "/home/$ex_user/h.sh"
chown "$ex_user:" "/home/$ex_user/h.sh"
chmod 0755 "/home/$ex_user/h.sh"
install -d -o "$ok_user" -m 0700 "/home/$ok_user/data"
uid_suid=$(id -u "$suid_user")

listen_log=$E2E_DIR/tcp
e2e_tcp_listener "$listen_log" 2
port_ok=${E2E_TCP_PORTS[0]}
port_other=${E2E_TCP_PORTS[1]}
connect() {   # connect PORT TOKEN: a crontab command sending TOKEN to PORT
	printf "python3 -c \"import socket; socket.create_connection(('127.0.0.1', %s), 3).sendall(b'%s')\"" "$1" "$2"
}

e2e_crontab "$ex_user" "@reboot echo echo ran-tmp > $tmp_script; chmod 755 $tmp_script; $tmp_script > \$HOME/out-tmp
@reboot \$HOME/h.sh > \$HOME/out-home
"
e2e_crontab "$etc_user" "MAILTO=$mail_user
@reboot echo pwned > $etc_file && echo wrote-etc-$sfx
"
e2e_crontab "$chown_user" "MAILTO=$mail_user
@reboot grep -E '^Cap(Eff|Bnd)' /proc/self/status; chown nobody $vdir/owned && echo chowned-$sfx
"
e2e_crontab "$suid_user" "@reboot $xdir/id -u > \$HOME/out-id
"
e2e_crontab "$net_user" "@reboot $(connect "$port_ok" "net-none-$sfx")
"
e2e_crontab "$port_user" "@reboot $(connect "$port_ok" "port-listed-$sfx")
@reboot $(connect "$port_other" "port-unlisted-$sfx")
"
e2e_crontab "$uring_user" "@reboot $xdir/io_uring_socket > \$HOME/out-uring
"
e2e_crontab "$tmp_user" "@reboot cat $secret > \$HOME/out-secret
"
e2e_crontab "$kill_user" "@reboot kill -TERM \$(cat \$HOME/victim.pid) && echo killed-$sfx
"
e2e_crontab "$ok_user" "@reboot $xdir/good.sh
"

# The shipped policy, whose [default] is what ordinary users get (exec only
# the system's directories, private /tmp, no_new_privs, signal scoping),
# plus one section per attacker.
{
	cat "$src/pam_cronguard/cronguard.conf"
	cat <<EOF

[user $ex_user]
mode = enforce

[user $etc_user]
# root's shipped plan
exec += /etc/cron.hourly /etc/cron.daily /etc/cron.weekly /etc/cron.monthly /etc/cron.yearly
write = /var /run /tmp /dev/null
capabilities = CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SYS_NICE CAP_SYS_RESOURCE CAP_AUDIT_WRITE
private_tmp = no
scope = none
umask = 0022

[user $chown_user]
write = /var /run /tmp /dev/null
capabilities = none
private_tmp = no
scope = none

[user $suid_user]
exec += $xdir

[user $net_user]
network = none

[user $port_user]
network = tcp-connect:$port_ok

[user $uring_user]
exec += $xdir

[user $tmp_user]
private_tmp = yes

[user $kill_user]
scope = signals

[user $ok_user]
exec += $xdir
write = ~/data /dev/null
EOF
} > "$E2E_DIR/policy.conf"
chmod 644 "$E2E_DIR/policy.conf"
"$CRONGUARD" check -f "$E2E_DIR/policy.conf" >/dev/null ||
	{ "$CRONGUARD" check -f "$E2E_DIR/policy.conf"; exit 1; }

victim=
reset() {
	local u
	for u in "${E2E_USERS[@]}" "${E2E_ROOT_ALIASES[@]}"; do
		rm -f /home/"$u"/out-* /home/"$u"/outside /home/"$u"/data/ok "/var/mail/$u"
	done
	rm -f "$etc_file" "$tmp_script" "$secret"
	: > "$vdir/owned"
	chown root:root "$vdir/owned"
	# Another user's file, left readable in the shared /tmp.
	echo "secret-$sfx" > "$secret"
	chown "$ok_user:" "$secret"
	chmod 0644 "$secret"
	# A process of the kill attacker's own user, outside any cron job.
	e2e_bg setpriv --reuid="$kill_user" --regid="$kill_user" --init-groups sleep 300
	victim=$E2E_BG_PID
	echo "$victim" > "/home/$kill_user/victim.pid"
	: > "$listen_log.run"
}
# Mail arrives after the jobs' cron processes exit; wait for the users whose
# jobs print something in both modes.
wait_mail() { for u in "$@"; do e2e_wait_file "/var/mail/$u" 10 || true; done; }
wait_grep() {   # wait_grep FILE ERE: up to 10 s for ERE in FILE
	for _ in $(seq 100); do grep -qE -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
# mailhas USER ERE: USER's mail (delivered by exim4, maybe still arriving)
# holds ERE.
mailhas() { wait_grep "/var/mail/$1" "$2"; }
alive() { kill -0 "$victim" 2>/dev/null && [ "$(ps -o stat= -p "$victim")" != Z ]; }
got() { grep -q "^[0-9]* $1\$" "$listen_log"; }
has() { grep -q -- "$2" "$1" 2>/dev/null; }

# --- without the module: every attack works --------------------------------
t0=$(date +%s.%N)
e2e_pam off
reset
e2e_run_cron 3
wait_mail "$mail_user" "$ok_user"
wait_grep "/var/mail/$mail_user" "^CapEff:" || true
wait_grep "/var/mail/$mail_user" "wrote-etc-$sfx" || true
check "without module: a script the job wrote to /tmp runs" has "/home/$ex_user/out-tmp" ran-tmp
check "without module: a script in the user's home runs" has "/home/$ex_user/out-home" ran-home
check "without module: a root job writes to /etc" test -e "$etc_file"
check "without module: a root job chowns a file" test "$(stat -c %U "$vdir/owned")" = nobody
check "without module: a setuid-root program gives euid 0" test "$(cat "/home/$suid_user/out-id")" = 0
check "without module: a TCP connection is made" got "net-none-$sfx"
check "without module: the listed port is reached" got "port-listed-$sfx"
check "without module: an unlisted port is reached" got "port-unlisted-$sfx"
check "without module: io_uring opens an internet socket" \
	has "/home/$uring_user/out-uring" "io_uring-socket ok"
check "without module: another user's file in /tmp is read" \
	has "/home/$tmp_user/out-secret" "secret-$sfx"
check "without module: the job kills a process outside it" bash -c '! kill -0 "$1" 2>/dev/null' _ "$victim"
check "without module: the benign script writes to its data dir" test -e "/home/$ok_user/data/ok"
check "without module: the root jobs' output mail arrives" \
	has "/var/mail/$mail_user" "wrote-etc-$sfx"
check "without module: the root job has full capabilities" \
	grep -q "^CapEff:[[:space:]]*0*[1-9a-f]" "/var/mail/$mail_user"
t1=$(date +%s.%N)
kill "$victim" 2>/dev/null || true   # (dead already when the attack worked)

# --- with the module: every attack is blocked --------------------------------
e2e_auditd
since=$(date +%H:%M:%S)
E2E_MODULE_ARGS=debug
e2e_pam on
reset
: > "$listen_log"
: > "$E2E_LOG.mark"
e2e_run_cron 3
wait_mail "$ex_user" "$mail_user" "$ok_user" "$net_user" "$port_user" "$tmp_user" \
	"$kill_user"
wait_grep "/var/mail/$mail_user" "^CapEff:" || true
wait_grep "/var/mail/$mail_user" "cannot create $etc_file" || true
t2=$(date +%s.%N)
m() { cat "/var/mail/$1" 2>/dev/null; }

check "with module: the /tmp script does not run" bash -c '! grep -q ran-tmp "$1"' _ "/home/$ex_user/out-tmp"
check "with module: mail shows the /tmp script refused" \
	mailhas "$ex_user" "$tmp_script: Permission denied"
check "with module: the home script does not run" bash -c '! grep -q ran-home "$1"' _ "/home/$ex_user/out-home"
check "with module: mail shows the home script refused" \
	mailhas "$ex_user" "h.sh: Permission denied"
check "with module: the root job cannot write to /etc" test ! -e "$etc_file"
check "with module: mail shows the /etc write refused" \
	mailhas "$mail_user" "cannot create $etc_file: (Read-only file system|Permission denied)"
check "with module: the capability-less root job cannot chown" \
	test "$(stat -c %U "$vdir/owned")" = root
check "with module: mail shows the root job's empty capability sets" \
	bash -c 'grep -q "^CapEff:[[:space:]]*0*$" <<<"$1" && grep -q "^CapBnd:[[:space:]]*0*$" <<<"$1"' _ "$(m "$mail_user")"
check "with module: mail shows chown refused" \
	mailhas "$mail_user" "chown: changing ownership of '$vdir/owned': Operation not permitted"
check "with module: the setuid program gives no euid 0" \
	test "$(cat "/home/$suid_user/out-id" 2>/dev/null)" = "$uid_suid"
check "with module: network = none blocks the TCP connection" bash -c '! grep -q "net-none-$1" "$2"' _ "$sfx" "$listen_log"
check "with module: mail shows the connection refused" \
	mailhas "$net_user" "PermissionError"
check "with module: the listed port is still reached" got "port-listed-$sfx"
check "with module: the unlisted port is not reached" bash -c '! grep -q "port-unlisted-$1" "$2"' _ "$sfx" "$listen_log"
check "with module: mail shows the unlisted port refused" \
	mailhas "$port_user" "PermissionError"
check "with module: io_uring opens no socket (io_uring_setup refused)" \
	has "/home/$uring_user/out-uring" "io_uring-socket denied: io_uring_setup: Operation not permitted"
check "with module: the other user's /tmp file is not seen" \
	bash -c '! grep -q "secret-$1" "$2"' _ "$sfx" "/home/$tmp_user/out-secret"
check "with module: mail shows the /tmp file missing (private /tmp)" \
	mailhas "$tmp_user" "$secret: No such file or directory"
check "with module: the process outside the job survives" alive
check "with module: mail shows the signal refused" \
	mailhas "$kill_user" "Operation not permitted"
check "with module: the benign script writes to its write path" test -e "/home/$ok_user/data/ok"
check "with module: ... and nowhere else in its home" test ! -e "/home/$ok_user/outside"
check "with module: the benign job's output mail arrives through exim4" \
	mailhas "$ok_user" "benign-$sfx"
check "with module: the root jobs' output mail arrives through exim4" \
	mailhas "$mail_user" "Cron <$chown_user@"

# The log goes to a file: as one argument it can exceed the kernel's
# 128 KiB limit on a single argument.
logf=$E2E_DIR/log.txt
e2e_log > "$logf"
log=$(cat "$logf")
for u in $ex_user $etc_user $chown_user $suid_user $net_user $port_user $uring_user $tmp_user \
	$kill_user $ok_user; do
	check "log: $u's job was allowed and confined" \
		bash -c 'grep -q "decision=allow user=$1 " "$2" && grep -q "decision=confined user=$1 " "$2"' _ "$u" "$logf"
done
# What the module applied in each job process (its debug lines, by pid).
jlog() {   # jlog USER PATTERN: a job process of USER logged PATTERN
	local pid
	for pid in $(grep -oE "CRON\[[0-9]+\]: pam_cronguard\(cron:setcred\): user $1: job confined" <<<"$log" |
		grep -oE '[0-9]+' | head -5); do
		grep -qE "CRON\[$pid\]: pam_cronguard\(cron:setcred\): $2" <<<"$log" && return 0
	done
	return 1
}
check "log: /tmp is a private noexec tmpfs in $ex_user's job" jlog "$ex_user" "private_tmp: tmpfs noexec"
check "log: /etc is read-only in $etc_user's job" jlog "$etc_user" "protect_system: /etc read-only"
ncaps=$(( $(cat /proc/sys/kernel/cap_last_cap) + 1 ))
check "log: $chown_user's root job keeps no capability" jlog "$chown_user" "capabilities: $ncaps dropped"
check "log: no_new_privs in $suid_user's job" jlog "$suid_user" "no_new_privs set"
check "log: TCP port rules in $port_user's job" jlog "$port_user" "landlock: ABI [0-9]+, .* net 0x[1-3] "
check "log: io_uring denied in $uring_user's job" jlog "$uring_user" "seccomp: .*io_uring denied"
check "log: signal scoping in $kill_user's job" jlog "$kill_user" "landlock: ABI [0-9]+, .* scope 0x[23]$"
check "log: no job failed to be confined" bash -c '! grep -q "rule=confine" "$1"' _ "$logf"
ll=$(e2e_landlock_audit "$since")
check "audit: Landlock record of the refused exec from /home/$ex_user" \
	grep -qE "blockers=fs\.execute .*path=\"?/home/$ex_user/h\.sh" <<<"$ll"
# (The /etc write fails on the read-only bind mount, EROFS, before Landlock
# is asked: the mail above is its record.)
check "audit: Landlock record of the benign job's write outside its write path" \
	grep -qE "blockers=fs\.make_reg path=\"?/home/$ok_user\"? " <<<"$ll"
check "audit: Landlock record of the refused TCP connect to port $port_other" \
	grep -qE "blockers=net\.connect_tcp daddr=127\.0\.0\.1 dest=$port_other([^0-9]|$)" <<<"$ll"
check "audit: Landlock record of the refused signal to pid $victim" \
	grep -qE "blockers=scope\.signal .*opid=$victim" <<<"$ll"
printf 'timing: run without module %.1f s, with module %.1f s\n' \
	"$(awk "BEGIN { print $t1 - $t0 }")" "$(awk "BEGIN { print $t2 - $t1 }")"
if [ "$E2E_FAIL" != 0 ]; then
	for u in $ex_user $mail_user $suid_user $net_user $port_user $uring_user $tmp_user $kill_user $ok_user; do
		echo "--- mail of $u"; m "$u" | grep -vE "^(From|To|Subject|Content-Type|MIME-Version|Content-Transfer-Encoding|X-Cron-Env|Message-Id|Date|Received|Return-path|Envelope-to|Delivery-date):" | tail -12 || true
	done
	echo "--- landlock audit"; head -c 4000 <<<"$ll"
	echo "--- log"; grep -E "cronguard|CRON" "$logf" | tail -60 || true
	[ -z "${CG_E2E_KEEP:-}" ] || cp "$logf" "$CG_E2E_KEEP"
fi
e2e_finish
