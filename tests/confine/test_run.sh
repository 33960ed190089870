#!/bin/bash
# test_run.sh - `cronguard run`: the same confinement as under cron, exit
# statuses, usage.  Needs root: creates a user (removed on exit).
set -u

CRONGUARD=${CRONGUARD:-$(dirname "$0")/../../build/cronguard}
fail=0
pass=0
U=cgrun$$
D=$(mktemp -d /var/lib/cgrun.XXXXXX)
HOSTTMP=/tmp/cgrun-$$.sh

cleanup() {
	userdel -r "$U" >/dev/null 2>&1
	rm -rf -- "$D" "$HOSTTMP" "/etc/cgrun-$$"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root"
	exit 77
fi
useradd -m -d "/home/$U" -s /bin/sh "$U" || { echo "useradd failed"; exit 1; }
chmod 0755 "$D"
mkdir -p "$D/jobs" "$D/other"
printf '#!/bin/sh\necho "job ran as $(id -un)" > "$HOME/out"\n' > "$D/jobs/ok.sh"
printf '#!/bin/sh\necho pwned\n' > "$D/other/x.sh"
printf '#!/bin/sh\necho pwned\n' > "$HOSTTMP"
chmod 0755 "$D/jobs/ok.sh" "$D/other/x.sh" "$HOSTTMP"

cat > "$D/policy.conf" <<POL
[default]
exec = /usr /bin /sbin /lib /lib64 $D/jobs
write = ~ /tmp /var/tmp /dev/null
network = none
capabilities = none
no_new_privs = yes
private_tmp = yes
protect_system = yes
scope = signals abstract-unix
umask = 0077

[user root]
write = /var/tmp /dev/null

[group nogroup]
mode = complain
POL
cat > "$D/noprivtmp.conf" <<POL
[default]
exec = /usr /bin /sbin /lib /lib64
write = ~ /dev/null
POL
printf '[default]\nallow = no\n' > "$D/deny.conf"
printf '[default]\nexec = /usr\nwrite = /usr/local\n' > "$D/overlap.conf"

# check NAME EXPECTED-STATUS COMMAND...: runs COMMAND, compares its status.
check() {
	local name=$1 want=$2 got
	shift 2
	"$@" >"$D/stdout" 2>"$D/stderr"
	got=$?
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: status $got, want $want"
		sed 's/^/  stdout: /' "$D/stdout"
		sed 's/^/  stderr: /' "$D/stderr"
		fail=$((fail + 1))
	fi
}

# expect NAME: the last check's stdout must not contain "pwned".
not_pwned() {
	if grep -q pwned "$D/stdout"; then
		echo "FAIL: $1: the attack's script ran"
		fail=$((fail + 1))
	fi
}

run() { "$CRONGUARD" run -p "$D/policy.conf" "$@"; }

# usage
check "help" 0 "$CRONGUARD" run --help
grep -q '^Usage: cronguard run' "$D/stdout" || { echo "FAIL: help text"; fail=$((fail + 1)); }
check "no command" 2 "$CRONGUARD" run -p "$D/policy.conf" -u "$U"
check "unknown user" 2 run -u no-such-user-cg$$ -- /bin/true
check "bad policy file" 2 "$CRONGUARD" run -p "$D/missing.conf" -u "$U" -- /bin/true

# exit statuses
check "permitted command" 0 run -u "$U" -- /bin/true
check "command's status" 7 run -u "$U" -- sh -c 'exit 7'
check "not found" 127 run -u "$U" -- no-such-command-cg$$
check "killed by a signal" 143 run -u "$U" -- sh -c 'kill -TERM $$'
check "policy denies the user" 1 "$CRONGUARD" run -p "$D/deny.conf" -u "$U" -- /bin/true
check "plan error: write path under exec path" 126 \
	"$CRONGUARD" run -p "$D/overlap.conf" -u "$U" -- /bin/true

# benign: a whitelisted script writes to the user's home
rm -f "/home/$U/out"
check "whitelisted script" 0 run -u "$U" -- "$D/jobs/ok.sh"
if [ "$(cat "/home/$U/out" 2>/dev/null)" != "job ran as $U" ]; then
	echo "FAIL: whitelisted script's output: $(cat "/home/$U/out" 2>&1)"
	fail=$((fail + 1))
fi
if [ "$(stat -c %a "/home/$U/out" 2>/dev/null)" != 600 ]; then
	echo "FAIL: umask 0077 not applied: mode $(stat -c %a "/home/$U/out" 2>&1)"
	fail=$((fail + 1))
fi

# a script the job drops into /tmp cannot run (private noexec /tmp + Landlock)
check "script dropped in /tmp" 126 run -u "$U" -- sh -c \
	'printf "#!/bin/sh\necho pwned\n" > /tmp/x.sh && chmod 755 /tmp/x.sh && /tmp/x.sh'
not_pwned "script dropped in /tmp"
# a script left in the host's /tmp: not even visible in the job's /tmp
check "host /tmp script, private_tmp" 127 run -u "$U" -- "$HOSTTMP"
not_pwned "host /tmp script"
# ... and without private_tmp, Landlock refuses to execute it
check "host /tmp script, Landlock" 126 "$CRONGUARD" run -p "$D/noprivtmp.conf" -u "$U" -- "$HOSTTMP"
not_pwned "host /tmp script, Landlock"
# through the shell, as cron runs jobs
check "host /tmp script via sh -c" 126 "$CRONGUARD" run -p "$D/noprivtmp.conf" -u "$U" -- \
	sh -c "$HOSTTMP"
not_pwned "host /tmp script via sh -c"
check "script outside the exec paths" 126 run -u "$U" -- "$D/other/x.sh"
not_pwned "script outside the exec paths"

# writes outside the plan fail, even where file permissions allow them
chmod 0777 "$D"
check "write outside the write paths" 2 run -u "$U" -- sh -c "echo x > $D/written"
[ -e "$D/written" ] && { echo "FAIL: $D/written was created"; fail=$((fail + 1)); }
chmod 0755 "$D"
check "root job writes /etc" 1 run -u root -- touch "/etc/cgrun-$$"
[ -e "/etc/cgrun-$$" ] && { echo "FAIL: /etc/cgrun-$$ was created"; fail=$((fail + 1)); }
check "root job chowns with capabilities = none" 1 run -u root -- chown "$U" "$D/jobs/ok.sh"
[ "$(stat -c %U "$D/jobs/ok.sh")" = root ] || { echo "FAIL: chown went through"; fail=$((fail + 1)); }
check "network none" 1 run -u "$U" -- bash -c 'exec 3<>/dev/tcp/127.0.0.1/9'
grep -q 'Permission denied' "$D/stderr" || { echo "FAIL: network none: not denied: $(cat "$D/stderr")"; fail=$((fail + 1)); }

# complain mode: the module does not confine, neither does run (unless --enforce)
check "complain mode runs unconfined" 0 run -u nobody --keep-cwd -- "$D/other/x.sh"
grep -q pwned "$D/stdout" || { echo "FAIL: complain mode did not run the script"; fail=$((fail + 1)); }
grep -q 'complain mode' "$D/stderr" || { echo "FAIL: complain mode not reported"; fail=$((fail + 1)); }
check "--enforce confines a complain plan" 126 run --enforce -u nobody --keep-cwd -- "$D/other/x.sh"

# another user than yourself needs root
check "non-root for another user" 2 setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CRONGUARD" run -p "$D/policy.conf" -u "$U" -- /bin/true

echo "test_run: $pass passed, $fail failed"
[ "$fail" = 0 ]
