#!/usr/bin/env bash
# The gate under the real Debian cron: each job that a policy or a crontab
# variable should stop is first shown to run without the module, then shown
# stopped with it, with the log line that proves why.  A permitted job runs
# and its output mail arrives through exim4.
source "$(dirname "$0")/../lib/e2e.sh"

sfx=$(printf "%x%x" $$ $RANDOM | tail -c 6)
ok_user=cgok$sfx      # permitted
no_user=cgno$sfx      # allow = no
ld_user=cgld$sfx      # LD_PRELOAD= in the crontab
be_user=cgbe$sfx      # BASH_ENV= in the crontab
pa_user=cgpa$sfx      # PATH= with a world-writable directory
for u in $ok_user $no_user $ld_user $be_user $pa_user; do e2e_user "$u"; done

# A directory anyone can write, first on the PATH: a planted `id` wins.
wdir=$E2E_DIR/world-writable
mkdir -m 0777 "$wdir"
printf '#!/bin/sh\necho planted\n' > "$wdir/id"
chmod 755 "$wdir/id"
evil=/home/$be_user/evil.sh
printf 'echo sourced > /home/%s/pwned\n' "$be_user" > "$evil"
chown "$be_user" "$evil"

e2e_crontab "$ok_user" "@reboot echo hello-permitted-$sfx; touch \$HOME/ran
"
e2e_crontab "$no_user" "@reboot touch \$HOME/ran
"
e2e_crontab "$ld_user" "LD_PRELOAD=/home/$ld_user/hook.so
@reboot echo \"\$LD_PRELOAD\" > \$HOME/ran 2>/dev/null
"
e2e_crontab "$be_user" "SHELL=/bin/bash
BASH_ENV=$evil
@reboot touch \$HOME/ran
"
e2e_crontab "$pa_user" "PATH=$wdir:/usr/bin:/bin
@reboot id > \$HOME/ran
"

e2e_policy "[default]
path = /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin $wdir
[user $no_user]
allow = no
"

reset_markers() {
	for u in "${E2E_USERS[@]}"; do rm -f "/home/$u/ran" "/home/$u/pwned" "/var/mail/$u"; done
}

# --- without the module: every attack works -------------------------------
e2e_pam off
reset_markers
e2e_run_cron 4
check "without module: permitted job runs" test -e "/home/$ok_user/ran"
check "without module: allow=no user's job runs (cron.allow is not checked at job time)" \
	test -e "/home/$no_user/ran"
check "without module: LD_PRELOAD from the crontab reaches the job" \
	grep -q "hook.so" "/home/$ld_user/ran"
check "without module: BASH_ENV from the crontab runs the attacker's file" \
	test -e "/home/$be_user/pwned"
check "without module: a planted program on a writable PATH runs" \
	grep -q planted "/home/$pa_user/ran"

# --- with the module: only the permitted job runs --------------------------
e2e_auditd
since=$(date +%H:%M:%S)
e2e_pam on
reset_markers
: > "$E2E_LOG.mark"
e2e_run_cron 4
e2e_wait_file "/var/mail/$ok_user" 10 || true
check "with module: permitted job runs" test -e "/home/$ok_user/ran"
check "with module: its output mail arrives through exim4" \
	grep -q "hello-permitted-$sfx" "/var/mail/$ok_user"
check "with module: allow=no stops the job" test ! -e "/home/$no_user/ran"
check "with module: LD_PRELOAD crontab stops the job" test ! -e "/home/$ld_user/ran"
check "with module: BASH_ENV crontab stops the job" \
	test ! -e "/home/$be_user/ran" -a ! -e "/home/$be_user/pwned"
check "with module: writable PATH stops the job" test ! -e "/home/$pa_user/ran"

log=$(e2e_log)
check "log: allow=no denial names user and rule" \
	grep -q "decision=deny user=$no_user service=cron mode=enforce rule=allow" <<<"$log"
check "log: LD_PRELOAD denial names the crontab file and line" \
	grep -qE "decision=deny user=$ld_user .*rule=env.deny where=/var/spool/cron/crontabs/$ld_user:4 " <<<"$log"
check "log: BASH_ENV denial" \
	grep -qE "decision=deny user=$be_user .*rule=env.deny where=/var/spool/cron/crontabs/$be_user:5 .*BASH_ENV" <<<"$log"
check "log: PATH denial names the writable directory" \
	grep -qE "decision=deny user=$pa_user .*rule=path .*$wdir" <<<"$log"
check "log: the permitted job's decision is logged" \
	grep -q "decision=allow user=$ok_user" <<<"$log"
audit=$(ausearch -m USER_ACCT,USER_START -ts today "$since" -i 2>/dev/null || true)
check "audit: the LD_PRELOAD denial is an audit record" \
	grep -qE "op=cronguard-deny-env.deny .*acct=$ld_user" <<<"$audit"
check "audit: the allow=no denial is an audit record" \
	grep -qE "op=cronguard-deny-allow .*acct=$no_user" <<<"$audit"
check "audit: the permitted job's session start is an audit record" \
	grep -qE "op=cronguard-session .*acct=$ok_user .*res=success" <<<"$audit"
e2e_finish
