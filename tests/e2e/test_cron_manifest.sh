#!/usr/bin/env bash
# Script manifests under the real Debian cron (issue 5): a plan with
# `manifest = FILE` runs a job only while the scripts of the pinned
# directory still match.  A changed script, a new unlisted file, a
# group-writable script and a symlink leaving the directory each deny the
# job (log line with rule=manifest); in complain mode the job runs and the
# log says "would-deny"; the untouched directory's job runs.  Then
# `cronguard run` with the same policy: the clean script runs, a tampered
# one is refused (exit 126), and the plan confines it as cron's job is.
# (Debian cron prints "Permission denied" on stderr for each job PAM denies.)
source "$(dirname "$0")/../lib/e2e.sh"
here=$(cd "$(dirname "$0")" && pwd)
src=${CG_SOURCE_DIR:-$here/../..}
: "${CRONGUARD:?CRONGUARD must name the built cronguard binary}"

sfx=$(printf "%x%x" $$ $RANDOM | tail -c 6)
base=/usr/local/lib/cg-man-$sfx
cases=(clean change new gw link)
declare -A user
for c in "${cases[@]}"; do
	user[$c]=cgm${c:0:2}$sfx
	e2e_user "${user[$c]}"
done
tmp_script=/tmp/cg-man-x-$sfx.sh
manifest_cleanup() { rm -rf "$base" "$tmp_script"; }
trap 'manifest_cleanup; e2e_cleanup' EXIT

# One root-owned pinned directory and manifest per case.
mkdir -m 0755 "$base" "$base/outside"
printf '#!/bin/sh\necho outside\n' > "$base/outside/evil.sh"
chmod 0755 "$base/outside/evil.sh"
for c in "${cases[@]}"; do
	mkdir -m 0755 "$base/$c"
	printf '#!/bin/sh\necho ran-%s-%s\ntouch "$HOME/data/ran"\n' "$c" "$sfx" > "$base/$c/job.sh"
	# For `cronguard run` (which runs only what the manifest lists).
	printf '#!/bin/sh\necho x > "$HOME/data/in" && echo in-ok\necho x > "$HOME/outside" || echo out-refused\n' \
		> "$base/$c/write.sh"
	chmod 0755 "$base/$c/job.sh" "$base/$c/write.sh"
	"$CRONGUARD" manifest create "$base/$c" -o "$E2E_DIR/$c.sha256" >/dev/null
	chown root:root "$E2E_DIR/$c.sha256"
	chmod 0644 "$E2E_DIR/$c.sha256"
	install -d -o "${user[$c]}" -m 0700 "/home/${user[$c]}/data"
	e2e_crontab "${user[$c]}" "@reboot $base/$c/job.sh
"
done
check "manifest create: clean directory verifies" \
	"$CRONGUARD" manifest verify "$E2E_DIR/clean.sha256" --no-cache -q >/dev/null

# The tampering, after the manifests were written.
echo 'echo tampered' >> "$base/change/job.sh"
printf '#!/bin/sh\necho planted\n' > "$base/new/planted.sh"
chmod 0755 "$base/new/planted.sh"
chmod 0775 "$base/gw/job.sh"
ln -s "$base/outside/evil.sh" "$base/link/evil.sh"
for c in change new gw link; do
	check "manifest verify reports the $c case" \
		bash -c '"$1" manifest verify "$2" --no-cache -q >/dev/null; [ $? = 1 ]' _ "$CRONGUARD" "$E2E_DIR/$c.sha256"
done

policy() {   # policy MODE: the shipped policy plus a section per case
	{
		cat "$src/pam_cronguard/cronguard.conf"
		for c in "${cases[@]}"; do
			printf '\n[user %s]\nmode = %s\nexec += %s\nwrite = ~/data /dev/null\nmanifest = %s\n' \
				"${user[$c]}" "$1" "$base/$c" "$E2E_DIR/$c.sha256"
		done
	} > "$E2E_DIR/policy.conf"
	chmod 644 "$E2E_DIR/policy.conf"
}
reset() { for c in "${cases[@]}"; do rm -f "/home/${user[$c]}/data/ran" "/var/mail/${user[$c]}"; done; }
ran() { test -e "/home/${user[$1]}/data/ran"; }

# --- enforce: only the clean job runs ---------------------------------------
t0=$(date +%s.%N)
e2e_auditd
since=$(date +%H:%M:%S)
policy enforce
e2e_pam on
reset
e2e_run_cron 3
e2e_wait_file "/var/mail/${user[clean]}" 10 || true
check "enforce: the clean job runs" ran clean
check "enforce: its output mail arrives" grep -q "ran-clean-$sfx" "/var/mail/${user[clean]}"
for c in change new gw link; do
	check "enforce: the $c job is denied" bash -c '! test -e "$1"' _ "/home/${user[$c]}/data/ran"
done
log=$(e2e_log)
deny() { grep -E "decision=deny user=${user[$1]} service=cron mode=enforce rule=manifest .*$2" <<<"$log" >/dev/null; }
check "log: changed script denied (rule=manifest)" deny change "$base/change/job.sh: .*content changed"
check "log: new unlisted file denied (rule=manifest)" deny new "$base/new/planted.sh: .*not listed"
check "log: group-writable script denied (rule=manifest)" deny gw "$base/gw/job.sh: .*writable by group"
check "log: symlink out of the directory denied (rule=manifest)" deny link "$base/link/evil.sh: .*leaves"
check "log: the clean job allowed" grep -q "decision=allow user=${user[clean]} " <<<"$log"
check "log: no manifest denial for the clean job" \
	bash -c '! grep -q "decision=deny user=$1 " <<<"$2"' _ "${user[clean]}" "$log"
audit=$(ausearch -m USER_ACCT -ts today "$since" -i 2>/dev/null || true)
check "audit: the manifest denial is an audit record" \
	grep -qE "op=cronguard-deny-manifest .*acct=${user[change]}" <<<"$audit"

# --- cronguard run with the same policy --------------------------------------
out=$("$CRONGUARD" run -u "${user[clean]}" -p "$E2E_DIR/policy.conf" -- "$base/clean/job.sh" 2>&1) && rc=0 || rc=$?
check "cronguard run: the clean script runs (exit 0)" test "$rc" = 0
check "cronguard run: ... and prints its output" grep -q "ran-clean-$sfx" <<<"$out"
rm -f "/home/${user[change]}/data/ran"
out=$("$CRONGUARD" run -u "${user[change]}" -p "$E2E_DIR/policy.conf" -- "$base/change/job.sh" 2>&1) && rc=0 || rc=$?
check "cronguard run: the tampered script is refused (exit 126)" test "$rc" = 126
check "cronguard run: ... naming the change" grep -q "$base/change/job.sh.*changed" <<<"$out"
check "cronguard run: ... and did not run" test ! -e "/home/${user[change]}/data/ran"
[ "$rc" = 126 ] || echo "$out"
printf '#!/bin/sh\necho ran-tmp\n' > "$tmp_script"
chmod 0755 "$tmp_script"
out=$("$CRONGUARD" run -u "${user[clean]}" -p "$E2E_DIR/policy.conf" -- "$tmp_script" 2>&1) && rc=0 || rc=$?
check "cronguard run: a /tmp script cannot run (exit 126)" \
	bash -c '[ "$1" = 126 ] && ! grep -q ran-tmp <<<"$2"' _ "$rc" "$out"
out=$("$CRONGUARD" run -u "${user[clean]}" -p "$E2E_DIR/policy.conf" -- "$base/clean/write.sh" 2>&1) ||
	true
check "cronguard run: writes inside the plan's write path work" grep -q in-ok <<<"$out"
check "cronguard run: a write outside the plan fails" \
	bash -c 'grep -q out-refused <<<"$1" && ! test -e "$2"' _ "$out" "/home/${user[clean]}/outside"
[ "$E2E_FAIL" = 0 ] || echo "$out"

# --- complain: every job runs, the log says what would be denied ------------
t1=$(date +%s.%N)
policy complain
reset
: > "$E2E_LOG"
e2e_run_cron 3
for c in "${cases[@]}"; do e2e_wait_file "/home/${user[$c]}/data/ran" 5 || true; done
for c in "${cases[@]}"; do check "complain: the $c job runs" ran "$c"; done
log=$(e2e_log)
for c in change new gw link; do
	check "log: complain mode logs would-deny for $c" \
		grep -qE "decision=would-deny user=${user[$c]} service=cron mode=complain rule=manifest" <<<"$log"
done
check "log: complain mode logs no would-deny for the clean job" \
	bash -c '! grep -q "decision=would-deny user=$1 " <<<"$2"' _ "${user[clean]}" "$log"
t2=$(date +%s.%N)
printf 'timing: enforce run + cronguard run %.1f s, complain run %.1f s\n' \
	"$(awk "BEGIN { print $t1 - $t0 }")" "$(awk "BEGIN { print $t2 - $t1 }")"
[ "$E2E_FAIL" = 0 ] || grep -E "cronguard|CRON" <<<"$log" | tail -40
e2e_finish
