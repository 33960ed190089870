#!/usr/bin/env bash
# The stock cron.daily scripts of Debian 12 (apt, dpkg, logrotate, man-db,
# exim4-base) still run under the shipped default policy, as root jobs
# through run-parts from /etc/crontab, with no denial and the same results
# as without the module.
source "$(dirname "$0")/../lib/e2e.sh"

for s in apt-compat dpkg logrotate man-db exim4-base; do
	[ -x "/etc/cron.daily/$s" ] || { echo "missing /etc/cron.daily/$s (install its package)"; exit 1; }
done

out=/var/tmp/cg-daily-$$
mkdir -m 0700 "$out"
crontab_backup=$E2E_DIR/crontab.orig
cp -p /etc/crontab "$crontab_backup"
# apt-compat sleeps up to 30 minutes before its work; not in a test.
nosleep=/etc/apt/apt.conf.d/99cronguard-test-$$
echo 'APT::Periodic::RandomSleep "0";' > "$nosleep"
restore_crontab() { cp -p "$crontab_backup" /etc/crontab; rm -rf "$out" "$nosleep"; }
trap 'restore_crontab; e2e_cleanup' EXIT

# Debian's own line, run at boot instead of 06:25.
printf '@reboot\troot\tcd / && run-parts --verbose --report /etc/cron.daily > %s/$RUN 2>&1; echo "rc=$?" >> %s/$RUN\n' \
	"$out" "$out" >> /etc/crontab
cp pam_cronguard/cronguard.conf "$E2E_DIR/policy.conf" 2>/dev/null ||
	cp "$CG_SOURCE_DIR/pam_cronguard/cronguard.conf" "$E2E_DIR/policy.conf"
chmod 644 "$E2E_DIR/policy.conf"

run_daily() {    # run_daily NAME: one cron start; waits for run-parts to finish
	sed -i "s|^RUN=.*||" /etc/crontab
	sed -i "1i RUN=$1" /etc/crontab
	e2e_run_cron 2
	grep -q '^rc=' "$out/$1" 2>/dev/null
}

e2e_pam off
check "without module: run-parts finishes" run_daily without
e2e_pam on
: > "$E2E_LOG"
check "with module: run-parts finishes" run_daily with

for s in apt-compat dpkg logrotate man-db exim4-base; do
	check "with module: /etc/cron.daily/$s ran" grep -q "executing /etc/cron.daily/$s" "$out/with"
done
check "without module: run-parts exit status 0" grep -qx 'rc=0' "$out/without"
check "with module: run-parts exit status 0" grep -qx 'rc=0' "$out/with"
check "with module: same output as without" diff "$out/without" "$out/with"
log=$(e2e_log)
check "with module: root's job was allowed" grep -q "decision=allow user=root service=cron" <<<"$log"
no_denial() { ! grep -q "decision=deny" <<<"$log"; }
check "with module: no denial logged" no_denial
[ "$E2E_FAIL" = 0 ] || { echo "--- without"; cat "$out/without"; echo "--- with"; cat "$out/with"; }
e2e_finish
