#!/bin/bash
# test_semantic.sh - what the generated profiles allow, asked offline of the
# parsed rules (python3-apparmor, aa_query.py), not compared as text.  For
# each test policy: a whitelisted script is executable; /tmp/x, a script in
# a home directory and an interpreter the plan does not list are not; the
# exec directories and interpreters are not writable; write paths are
# writable and not executable; network and capability rules follow the plan.
# Every profile queried is also compiled.
. "$(dirname "$0")/lib.sh"
[ -x "$PY" ] && "$PY" -c 'import apparmor.aa' 2>/dev/null ||
	{ echo "FAIL: python3-apparmor not installed"; exit 1; }
make_policies

# q POLICY PROFILE CHECK...: generate POLICY for all test users, then ask.
q() {
	local pol=$1 prof=$2 out=$T/out-$1
	shift 2
	if [ ! -d "$out" ]; then
		mkdir "$out"
		"$CRONGUARD" gen apparmor -f "$T/$pol.conf" -o "$out" \
			$(printf -- '--user %s ' "${USERS[@]}") > /dev/null 2>"$T/gen-$pol.err" ||
			{ fail "$pol: gen failed: $(cat "$T/gen-$pol.err")"; return; }
		# What is queried must also be what the kernel would load.
		for f in "$out"/*; do
			err=$(aa_compile "$f" 2>&1) || fail "$pol: $(basename "$f") does not compile: $err"
		done
	fi
	if [ ! -f "$out/$prof" ]; then
		fail "$pol: no profile $prof (have: $(ls "$out" | tr '\n' ' '))"
		return
	fi
	if res=$(aa_query "$out/$prof" "$@" 2>&1); then
		ok "$pol/$prof: $# checks"
	else
		fail "$pol/$prof:"$'\n'"$(grep -v '^ok' <<< "$res")"
	fi
}

# The abstraction every profile includes grants no execute and almost no
# write, so the exec and write answers below come from the profiles' rules.
if res=$(aa_query --abstraction cronguard-job 2>&1); then ok "$res"; else fail "$res"; fi

# Never: /tmp, /var/tmp, /dev/shm and home directories.
never=('!x:/tmp/x' '!x:/var/tmp/x' '!x:/dev/shm/x' '!x:/home/alice/bin/job.sh'
	'!m:/tmp/x.so' '!m:/home/alice/lib.so')

# 1. Shipped default (exec = /usr /bin ..., root adds /etc/cron.*).
q default cronguard-root "${never[@]}" '!x:/root/job.sh' \
	x:/etc/cron.daily/apt-compat x:/usr/bin/date x:/usr/bin/dash \
	'!w:/etc/cron.daily/evil' '!w:/usr/bin/date' '!w:/usr/local/bin/new' '!w:/usr/bin/dash' \
	w:/var/log/x.log '!x:/var/log/x.log' '!x:/var/lib/dpkg/x' w:/tmp/f \
	net:any cap:chown cap:dac_read_search '!cap:sys_admin' '!cap:sys_module'
q default cronguard-nobody "${never[@]}" '!x:/nonexistent/job.sh' \
	x:/usr/bin/date '!x:/etc/cron.daily/apt-compat' '!w:/usr/bin/date' '!w:/usr/lib/x.so' \
	w:/tmp/f '!w:/etc/passwd' '!w:/var/log/x' '!cap:chown' net:any

# 2. Locked down: only the job directory and sh.
L=/usr/local/lib/cg-test-jobs
q locked cronguard-locked "${never[@]}" '!x:/root/job.sh' \
	x:$L/backup.sh x:$L/sub/dir/report x:/usr/bin/dash \
	'!x:/usr/bin/python3' "!x:$(readlink -f /usr/bin/python3)" '!x:/usr/bin/perl' \
	'!x:/usr/bin/bash' '!x:/usr/bin/date' \
	'!x:/usr/local/bin/tool' '!x:/usr/local/lib/other/x' \
	'!w:'$L/backup.sh '!w:'$L/new '!w:/usr/bin/dash' '!w:/bin/sh' \
	w:/var/tmp/cg-test-out/f '!x:/var/tmp/cg-test-out/f' '!m:/var/tmp/cg-test-out/f' \
	m:/usr/lib/x86_64-linux-gnu/libc.so.6 m:$L/lib.so '!w:/var/tmp/other' '!w:/etc/x' \
	net:none '!cap:chown' '!cap:dac_override' '!cap:net_raw'

# 3. TCP ports, two exec directories, python listed.  AppArmor sees the
#    resolved path (/usr/bin/python3 -> python3.11 on Debian 12): the
#    profile must whitelist that too.
PY3=$(readlink -f /usr/bin/python3)
q tcp cronguard-tcp "${never[@]}" \
	x:/opt/cg-test/bin/job x:/srv/cg-test/scripts/a.py x:/usr/bin/python3 x:$PY3 x:/usr/bin/dash \
	'!x:/usr/bin/perl' '!x:/usr/bin/ruby' '!x:/srv/cg-test/out/f' '!x:/srv/other/x' \
	'!w:/opt/cg-test/bin/job' '!w:/srv/cg-test/scripts/new.py' '!w:/usr/bin/python3' \
	w:/srv/cg-test/out/f net:tcp '!cap:net_bind_service'
q tcp cronguard-tcp-root '!x:/tmp/x' '!x:/root/job.sh' x:/opt/cg-test/bin/job \
	'!w:/opt/cg-test/bin/job' net:tcp cap:net_bind_service cap:dac_read_search '!cap:chown'

# 4. Per-user names and paths: each user gets their own directory only.
for u in daemon bin sys nobody; do
	q peruser cg-test-$u "${never[@]}" x:/srv/cg-test/jobs/$u/job.sh \
		'!x:/srv/cg-test/jobs/other/job.sh' '!x:/usr/bin/python3' x:/usr/bin/dash \
		'!w:/srv/cg-test/jobs/'$u/job.sh w:/var/tmp/cg-test-$u/f '!x:/var/tmp/cg-test-'$u/f \
		'!w:/var/tmp/cg-test-other/f' net:none
done
q peruser cg-test-root '!x:/root/job.sh' x:/srv/cg-test/jobs/root/job.sh \
	'!x:/srv/cg-test/jobs/bin/job.sh' '!w:/srv/cg-test/jobs/bin/job.sh'

# 5. A plan that sets no exec, read or write line (all unconfined): only the
#    generator's own rules remain: no execute or executable mapping in
#    temporary and home directories.
policy open >/dev/null <<'P'
[default]
apparmor = cronguard-open
P
q open cronguard-open "${never[@]}" '!x:/root/job.sh' '!m:/var/tmp/x.so' \
	x:/usr/bin/perl x:/opt/vendor/bin/tool m:/opt/vendor/lib/x.so w:/etc/cg-test w:/tmp/f

# 6. exec = / and write = / (lazy but legal): the other rule decides,
#    instead of a deny under / that would forbid every program or write.
policy slash >/dev/null <<'P'
[default]
exec = /
write = /srv/cg-test/out
apparmor = cronguard-slash-x
[user sys]
exec = /usr/local/lib/cg-test-jobs
write = /
apparmor = cronguard-slash-w
P
q slash cronguard-slash-x "${never[@]}" x:/usr/bin/perl w:/srv/cg-test/out/f \
	'!x:/srv/cg-test/out/f' '!w:/etc/passwd'
q slash cronguard-slash-w "${never[@]}" x:/usr/local/lib/cg-test-jobs/a w:/etc/x \
	'!w:/usr/local/lib/cg-test-jobs/a' '!x:/usr/bin/perl'

# The query itself can fail: ask the opposite of known answers.
if aa_query "$T/out-locked/cronguard-locked" x:/tmp/x >/dev/null 2>&1 ||
   aa_query "$T/out-locked/cronguard-locked" x:/usr/bin/python3 >/dev/null 2>&1 ||
   aa_query "$T/out-locked/cronguard-locked" w:$L/backup.sh >/dev/null 2>&1; then
	fail "control: a false claim was confirmed"
else
	ok "control: false claims are rejected"
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
