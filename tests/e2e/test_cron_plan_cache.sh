#!/usr/bin/env bash
# A remembered plan under the real Debian cron.  The first start of cron
# runs the user's job after a full decision, which the module remembers
# with the plan's Landlock rules resolved; the second start runs the same
# job from the remembered plan, its rules replayed (the debug log says
# "prepared").  Both runs must confine alike: the write path writable, the
# rest of the home not, a program copied to /tmp not executable (which a
# run without the module shows the job doing).
source "$(dirname "$0")/../lib/e2e.sh"

u=cgpc$$
e2e_user "$u"
home=/home/$u
install -d -m 0755 -o "$u" -g "$u" "$home/out"
{
	cat "$CG_SOURCE_DIR/pam_cronguard/cronguard.conf"
	printf '\n[user %s]\nwrite = ~/out /tmp /var/tmp /dev/null\n' "$u"
} > "$E2E_DIR/policy.conf"
chmod 644 "$E2E_DIR/policy.conf"
# One line per run in ~/out/ran, and a marker for each thing that must fail.
e2e_crontab "$u" "@reboot date +\%s\%N >> $home/out/ran; (echo x > $home/outside) 2>/dev/null && echo wrote-outside >> $home/out/ran; cp /bin/true /tmp/t && /tmp/t 2>/dev/null && echo ran-tmp >> $home/out/ran; true
"
runs() { wc -l < "$home/out/ran" 2>/dev/null || echo 0; }
prepared_lines() { grep -c "landlock: ABI .* rules (prepared)" "$E2E_LOG" || true; }

# Without the module both things the job must not do succeed.
e2e_pam off
e2e_run_cron 3
check "without module: the job writes outside its write path" grep -q wrote-outside "$home/out/ran"
check "without module: the program in /tmp runs" grep -q ran-tmp "$home/out/ran"
rm -f "$home/out/ran" "$home/outside"

E2E_MODULE_ARGS=debug
e2e_pam on
# The plan cache remembers only what was last changed two seconds before.
sleep 2.5

e2e_run_cron 3
check "first run: the job ran" test "$(runs)" = 1
check "first run: the decision was remembered" \
	bash -c 'compgen -G "$1/plan-*" >/dev/null' _ "$E2E_DIR/cache"
check "first run: rules resolved in full, not replayed" test "$(prepared_lines)" = 0

e2e_run_cron 3
check "second run: the job ran" test "$(runs)" = 2
check "second run: the remembered rules were replayed" test "$(prepared_lines)" -ge 1
check "both runs: no write outside the write path" bash -c '! grep -q wrote-outside "$1" && test ! -e "$2"' _ "$home/out/ran" "$home/outside"
check "both runs: the program in /tmp did not run" bash -c '! grep -q ran-tmp "$1"' _ "$home/out/ran"
log=$(e2e_log)
check "no job failed to be confined" bash -c '! grep -q "decision=deny" <<<"$1"' _ "$log"
[ "$E2E_FAIL" = 0 ] || { echo "--- log"; tail -n 40 "$E2E_LOG"; echo "--- ran"; cat "$home/out/ran" 2>/dev/null; }
e2e_finish
