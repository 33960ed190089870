#!/bin/bash
# test_gen_audit_rules.sh - the generated auditd rules load with
# `auditctl -R` and show up in `auditctl -l`; then the --delete rules remove
# exactly them.  Where the kernel has no audit support (auditctl cannot talk
# to it) the rules are checked against auditctl's rule syntax instead.
set -u
cg=${CRONGUARD:?}
tmp=$(mktemp -d /tmp/cg-auditrules.XXXXXX)
loaded=0
cleanup() {
	[ $loaded = 1 ] && auditctl -R "$tmp/del.rules" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0

"$cg" gen audit-rules >"$tmp/add.rules" || { echo "gen failed"; exit 1; }
"$cg" gen audit-rules --delete >"$tmp/del.rules" || exit 1
"$cg" gen audit-rules --cronie --key cgtest >"$tmp/cronie.rules" || exit 1
"$cg" gen audit-rules --key 'bad key' >/dev/null 2>&1 && { echo "bad key accepted"; fail=1; }

# Syntax: every non-comment line is a watch or an exit rule auditctl knows.
for f in "$tmp/add.rules" "$tmp/cronie.rules"; do
	while IFS= read -r l; do
		case "$l" in ''|'#'*) continue ;; esac
		if ! [[ "$l" =~ ^-w\ /[^\ ]+\ -p\ [rwxa]+\ -k\ [A-Za-z0-9_-]+$ ||
			"$l" =~ ^-a\ always,exit(\ -F\ [a-z]+(=|!=|\>=)[^\ ]+)+\ -k\ [A-Za-z0-9_-]+$ ]]; then
			echo "bad rule syntax: $l"; fail=1
		fi
	done <"$f"
done
for p in /etc/crontab /etc/cron.d /etc/cron.daily /etc/cron.allow /etc/cron.deny /var/spool/cron /etc/pam.d/cron; do
	grep -q -- "^-w $p -p wa -k cronguard-" "$tmp/add.rules" || { echo "no watch on $p"; fail=1; }
done
grep -q -- '^-a always,exit -F path=/usr/bin/crontab -F perm=x -k cronguard-crontab$' "$tmp/add.rules" ||
	{ echo "no crontab exec rule"; fail=1; }
grep -q -- '/etc/pam.d/crond' "$tmp/cronie.rules" || { echo "--cronie lacks crond"; fail=1; }
grep -q -- '/etc/pam.d/crond' "$tmp/add.rules" && { echo "crond without --cronie"; fail=1; }

if command -v auditctl >/dev/null && auditctl -s >/dev/null 2>&1; then
	auditctl -l >"$tmp/before" 2>&1
	if grep -q cronguard- "$tmp/before"; then
		echo "cronguard rules already loaded on this host: load test skipped"
	else
		if auditctl -R "$tmp/add.rules"; then
			loaded=1
			auditctl -l >"$tmp/during"
			n=$(grep -c -- '-k cronguard-' "$tmp/during")
			want=$(grep -c '^-[wa]' "$tmp/add.rules")
			[ "$n" = "$want" ] || { echo "loaded $n of $want rules"; cat "$tmp/during"; fail=1; }
			grep -q -- '-w /usr/bin/crontab -p x -k cronguard-crontab' "$tmp/during" ||
				{ echo "kernel lacks the crontab exec rule"; fail=1; }
			auditctl -R "$tmp/del.rules" || { echo "delete rules failed"; fail=1; }
			loaded=0
			auditctl -l >"$tmp/after" 2>&1
			diff "$tmp/before" "$tmp/after" || { echo "unload did not restore the rule set"; fail=1; }
		else
			echo "auditctl -R rejected the rules"; fail=1
		fi
	fi
	echo "checked with auditctl -R against the kernel"
else
	echo "no kernel audit support: checked by syntax only"
fi
exit $fail
