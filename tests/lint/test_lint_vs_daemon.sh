#!/bin/bash
# test_lint_vs_daemon.sh - lint verdicts against the real Debian cron daemon.
#
# crontab -n (test_lint_vs_crontab.sh) only checks the user-crontab grammar.
# Here the daemon itself decides, for system crontabs (/etc/cron.d: the user
# field, unknown users) and user crontabs in the spool alike: each probe file
# gets a first line "@reboot <user> touch /out/NAME"; if cron loads the file
# the marker appears ~0.2 s after the daemon starts, if it ignores the file
# (any error) it never does.  The daemon runs in a private chroot (the host's
# /usr bind-mounted read-only, its own /etc, /run and spool), so it neither
# sees nor disturbs the host's cron; PAM there is pam_permit only.
set -u
src=${CG_SOURCE_DIR:?}
cg=${CRONGUARD:?}
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
[ -x /usr/sbin/cron ] || { echo "cron not installed"; exit 1; }
[ -L /bin ] || { echo "host is not usrmerged; this chroot layout needs it"; exit 1; }

R=$(mktemp -d /tmp/cg-crond.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	mountpoint -q "$R/usr" && umount "$R/usr"
	mountpoint -q "$R/usr" || rm -rf "$R"
}
trap cleanup EXIT
fail=0

chmod 0755 "$R"   # the jobs of the spool users must reach /out
mkdir -p "$R"/{usr,etc/cron.d,etc/pam.d,run,tmp,out,dev,var/spool/cron/crontabs,root}
ln -s ../run "$R/var/run"; ln -s usr/bin "$R/bin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"; ln -s usr/sbin "$R/sbin"
mount --bind /usr "$R/usr" && mount -o remount,ro,bind "$R/usr" || { echo "bind mount failed"; exit 1; }
mknod -m 666 "$R/dev/null" c 1 3
chmod 1777 "$R/tmp" "$R/out"
printf 'passwd: files\ngroup: files\nshadow: files\n' >"$R/etc/nsswitch.conf"
printf 'auth required pam_permit.so\naccount required pam_permit.so\nsession required pam_permit.so\n' >"$R/etc/pam.d/cron"
cp "$R/etc/pam.d/cron" "$R/etc/pam.d/other"
# The host's users (lint --system looks users up through the host's NSS),
# plus one user per spool probe.
passwd=$(cat /etc/passwd)$'\n'
group=$(cat /etc/group)$'\n'
: >"$R/etc/crontab"; chmod 0600 "$R/etc/crontab"
chown root:crontab "$R/var/spool/cron/crontabs"; chmod 1730 "$R/var/spool/cron/crontabs"

# Users for the lint side too: a passwd file lint can read through NSS is
# the host's, so system probes only name root or the nonexistent cgnouser.
n=0 sys=0 usr=0
declare -A kind
for f in "$src"/tests/fixtures/cron-probes/* "$src"/tests/fixtures/cron-corpus/*; do
	b=$(basename "$f"); [ "$b" = SOURCES ] && continue
	n=$((n + 1))
	# As a system crontab in /etc/cron.d (name: letters, digits, '-').
	name="s${n}"
	{ printf '@reboot root touch /out/%s\n' "$name"; cat "$f"; } >"$R/etc/cron.d/$name"
	chmod 0600 "$R/etc/cron.d/$name"
	kind[$name]="system $f"
	sys=$((sys + 1))
	# As a user crontab in the spool, for a user of its own.
	name="u${n}"
	uid=$((30000 + n))
	passwd+="$name:x:$uid:$uid::/tmp:/bin/sh"$'\n'
	group+="$name:x:$uid:"$'\n'
	{ printf '@reboot touch /out/%s\n' "$name"; cat "$f"; } >"$R/var/spool/cron/crontabs/$name"
	chown $uid:crontab "$R/var/spool/cron/crontabs/$name"; chmod 0600 "$R/var/spool/cron/crontabs/$name"
	kind[$name]="user $f"
	usr=$((usr + 1))
done
printf '%s' "$passwd" >"$R/etc/passwd"; printf '%s' "$group" >"$R/etc/group"
# A system file naming an unknown user: cron ignores the whole file.
printf '@reboot root touch /out/sunknown\n* * * * * cgnouser true\n' >"$R/etc/cron.d/sunknown"
chmod 0600 "$R/etc/cron.d/sunknown"; kind[sunknown]="system $R/etc/cron.d/sunknown"

rm -f "$R/run/crond.reboot"
chroot "$R" /usr/sbin/cron -f -L 0 >/dev/null 2>&1 &
pid=$!
# Wait until the markers stop appearing (every loaded file's @reboot ran).
prev=-1 same=0
for i in $(seq 1 60); do
	sleep 0.5
	cur=$(ls "$R/out" | wc -l)
	if [ "$cur" -gt 0 ] && [ "$cur" = "$prev" ]; then
		same=$((same + 1)); [ $same -ge 4 ] && break
	else
		same=0
	fi
	prev=$cur
done
kill "$pid"; wait "$pid" 2>/dev/null; pid=

loaded=0 ignored=0
for name in "${!kind[@]}"; do
	set -- ${kind[$name]}
	k=$1; f=$2
	if [ -e "$R/out/$name" ]; then daemon=0; loaded=$((loaded + 1)); else daemon=1; ignored=$((ignored + 1)); fi
	if [ "$k" = system ]; then
		# lint reads the file as installed (with the marker line), users via
		# NSS: the host's passwd also has root and lacks cgnouser.
		"$cg" lint --system -q "$R/etc/cron.d/$name" >/dev/null 2>&1
	else
		"$cg" lint --user -q "$R/var/spool/cron/crontabs/$name" >/dev/null 2>&1
	fi
	ours=$?
	if [ "$ours" != "$daemon" ]; then
		echo "MISMATCH ($k) $f: cron daemon $([ $daemon = 0 ] && echo loads || echo ignores) it, lint exit $ours"
		fail=1
	fi
done
echo "cron daemon: $loaded files loaded, $ignored ignored, of $((sys + usr + 1)) ($sys system, $usr user)"
[ $loaded -ge 20 ] && [ $ignored -ge 20 ] || { echo "daemon run did not exercise both verdicts"; fail=1; }
exit $fail
