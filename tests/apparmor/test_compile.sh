#!/bin/bash
# test_compile.sh - every profile `cronguard gen apparmor` generates for the
# test policies compiles with the offline check of issue 6
# (apparmor_parser -Q -K -T -M FEATURES --warn=abi --Werror=abi), and so do
# the shipped abstraction and cron daemon profile.  Controls: a profile
# without its abi line and one with a syntax error must fail the same check,
# or the check proves nothing.
. "$(dirname "$0")/lib.sh"
make_policies

count=0
for pol in default locked tcp peruser; do
	out=$T/out-$pol
	mkdir "$out"
	if ! "$CRONGUARD" gen apparmor -f "$T/$pol.conf" -o "$out" \
		$(printf -- '--user %s ' "${USERS[@]}") > "$T/gen-$pol.log" 2>&1; then
		fail "$pol: gen apparmor failed: $(cat "$T/gen-$pol.log")"
		continue
	fi
	n=$(ls "$out" | wc -l)
	[ "$n" -ge 1 ] || fail "$pol: no profile generated"
	for f in "$out"/*; do
		if err=$(aa_compile "$f" 2>&1); then
			count=$((count + 1))
		else
			fail "$pol: $(basename "$f") does not compile: $err"
		fi
		grep -q '^abi <abi/3.0>,$' "$f" || fail "$pol: $(basename "$f") has no abi line"
	done
	ok "$pol: $n profile(s) generated"
done
ok "$count generated profiles compile"

# The shipped pieces.
if err=$(aa_compile "$SRC/apparmor-profiles/usr.sbin.cron" 2>&1); then
	ok "usr.sbin.cron compiles"
else
	fail "usr.sbin.cron does not compile: $err"
fi
cat > "$T/wrap" <<'P'
abi <abi/3.0>,
include <tunables/global>
profile cg-abstraction-wrapper {
  include <abstractions/cronguard-job>
}
P
if err=$(aa_compile "$T/wrap" 2>&1); then
	ok "abstractions/cronguard-job compiles"
else
	fail "abstractions/cronguard-job does not compile: $err"
fi

# mode = complain: the profile is in complain mode, and compiles.
policy complain >/dev/null <<'P'
[default]
mode = complain
exec = /usr/local/lib/cg-test-jobs
apparmor = cronguard-complain
P
if "$CRONGUARD" gen apparmor -f "$T/complain.conf" --user bin > "$T/complain.aa" 2>/dev/null &&
   grep -q '^profile cronguard-complain flags=(complain) {$' "$T/complain.aa" &&
   aa_compile "$T/complain.aa" 2>/dev/null; then
	ok "mode = complain gives flags=(complain) and compiles"
else
	fail "complain: $(grep '^profile' "$T/complain.aa")"
fi
# mode = off and allow = no: no profile (the module does nothing / jobs never run).
printf '[default]\nmode = off\napparmor = cronguard-off\n' > "$T/off.conf"
printf '[default]\nallow = no\napparmor = cronguard-deny\n' > "$T/deny.conf"
for p in off deny; do
	out=$("$CRONGUARD" gen apparmor -f "$T/$p.conf" --user bin 2>"$T/$p.err")
	rc=$?
	[ $rc -eq 1 ] && [ -z "$out" ] && grep -q 'no profile for user bin' "$T/$p.err" &&
		ok "$p: no profile, with a note" || fail "$p: rc=$rc $(cat "$T/$p.err")"
done

# Controls: the check rejects what it should.
f=$(ls "$T"/out-locked/* | head -1)
grep -v '^abi ' "$f" > "$T/no-abi"
aa_compile "$T/no-abi" >/dev/null 2>&1 && fail "control: a profile without abi passed" \
	|| ok "control: a profile without its abi line fails the check"
sed 's/ mrix,$/ mrix/' "$f" > "$T/broken"
aa_compile "$T/broken" >/dev/null 2>&1 && fail "control: a broken profile passed" \
	|| ok "control: a profile with a syntax error fails the check"

# A path with a space compiles; one with a glob character is refused.
policy space >/dev/null <<'P'
[default]
exec = "/srv/cg test/jobs"
write = "/var/tmp/cg test"
apparmor = cronguard-space
P
if "$CRONGUARD" gen apparmor -f "$T/space.conf" --user bin > "$T/space.aa" 2>/dev/null &&
   aa_compile "$T/space.aa" 2>/dev/null; then
	ok "a path with a space is quoted and compiles"
else
	fail "a path with a space: $(aa_compile "$T/space.aa" 2>&1)"
fi
policy glob >/dev/null <<'P'
[default]
exec = /srv/cg*test
apparmor = cronguard-glob
P
"$CRONGUARD" gen apparmor -f "$T/glob.conf" --user bin > "$T/glob.aa" 2> "$T/glob.err"
rc=$?
if [ $rc -eq 2 ] && grep -q "cg\*test.*contains '\*'" "$T/glob.err" && [ ! -s "$T/glob.aa" ]; then
	ok "a path with a glob character is refused (exit 2, nothing printed)"
else
	fail "glob path: rc=$rc, stderr: $(cat "$T/glob.err")"
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
