#!/bin/bash
# test_groups.sh - one profile per distinct plan, and safe output files:
#   - users with equal plans share one profile that names them all;
#     changing one user's plan ([user] section) splits them;
#   - a name claimed by two distinct plans is an error, not a silent merge;
#   - plans without an `apparmor` name are skipped with a note;
#   - output is deterministic;
#   - existing files are not overwritten without --force (nor symlinks
#     followed with it).
. "$(dirname "$0")/lib.sh"

gen() { "$CRONGUARD" gen apparmor "$@"; }

shared=$(policy shared <<'P'
[default]
exec         = /usr/local/lib/cg-test-jobs
interpreters = /usr/bin/dash
write        = /var/tmp/cg-test-shared
network      = none
capabilities = none
apparmor     = cronguard-shared
P
)

# Equal plans: one profile, listing every user.
mkdir "$T/a"
gen -f "$shared" -o "$T/a" --user sys --user bin --user daemon > "$T/a.log" 2>&1 ||
	fail "shared: gen failed: $(cat "$T/a.log")"
files=$(ls "$T/a")
if [ "$files" = cronguard-shared ] &&
   grep -q '^# Serves the cron jobs of users: bin daemon sys$' "$T/a/cronguard-shared"; then
	ok "three users with equal plans share one profile naming them (sorted)"
else
	fail "shared: files [$files], header: $(grep Serves "$T/a/cronguard-shared")"
fi
grep -q 'cronguard-shared: bin daemon sys' "$T/a.log" &&
grep -q "apparmor_parser -r -W $T/a/cronguard-shared" "$T/a.log" &&
	ok "prints the load command and which users switch to the profile" ||
	fail "load instructions missing: $(cat "$T/a.log")"

# A user named twice is one user.
gen -f "$shared" --user bin --user bin --user sys 2>/dev/null | grep -q '^# Serves the cron jobs of users: bin sys$' &&
	ok "a user named twice is listed once" || fail "duplicate --user"

# One user's plan changes (with its own name): the group splits.
split=$(policy split <<'P'
P
)
cat "$shared" > "$split"
cat >> "$split" <<'P'
[user sys]
write        += /srv/cg-test-sys
apparmor     = cronguard-sys
P
mkdir "$T/b"
gen -f "$split" -o "$T/b" --user sys --user bin --user daemon > "$T/b.log" 2>&1 ||
	fail "split: gen failed: $(cat "$T/b.log")"
if [ "$(ls "$T/b" | tr '\n' ' ')" = "cronguard-shared cronguard-sys " ] &&
   grep -q '^# Serves the cron jobs of users: bin daemon$' "$T/b/cronguard-shared" &&
   grep -q '^# Serves the cron jobs of user: sys$' "$T/b/cronguard-sys" &&
   grep -q '"/srv/cg-test-sys/\*\*" rwlk,' "$T/b/cronguard-sys" &&
   ! grep -q cg-test-sys "$T/b/cronguard-shared"; then
	ok "a [user sys] section splits sys into its own profile"
else
	fail "split: $(ls "$T/b"); $(grep -h Serves "$T"/b/*)"
fi

# Same change, same name: two plans would share one name -> refused.
clash=$(policy clash <<'P'
P
)
cat "$shared" > "$clash"
printf '[user sys]\nnetwork = any\n' >> "$clash"
mkdir "$T/c"
gen -f "$clash" -o "$T/c" --user sys --user bin > "$T/c.log" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "profile name 'cronguard-shared' is used by distinct plans" "$T/c.log" &&
   [ -z "$(ls "$T/c")" ]; then
	ok "one name for two distinct plans is refused (exit 2, nothing written)"
else
	fail "clash: rc=$rc files=$(ls "$T/c") log=$(cat "$T/c.log")"
fi

# Plans without a name are skipped with a note; none at all -> exit 1.
noname=$(policy noname <<'P'
[default]
exec = /usr/local/lib/cg-test-jobs
[user bin]
apparmor = cronguard-bin
P
)
out=$(gen -f "$noname" --user bin --user sys 2> "$T/n.err")
rc=$?
if [ $rc -eq 0 ] && grep -q '^profile cronguard-bin ' <<< "$out" &&
   grep -q 'no profile for user sys: the plan names no AppArmor profile' "$T/n.err"; then
	ok "a plan without an apparmor name is skipped with a note"
else
	fail "noname: rc=$rc err=$(cat "$T/n.err")"
fi
gen -f "$noname" --user sys > /dev/null 2> "$T/n2.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'nothing to generate' "$T/n2.err" &&
	ok "nothing to generate: exit 1 with a hint" || fail "nothing to generate: rc=$rc"

# Deterministic: same input, same bytes (users given in another order too).
gen -f "$split" --user sys --user bin --user daemon > "$T/d1" 2>/dev/null
gen -f "$split" --user daemon --user bin --user sys > "$T/d2" 2>/dev/null
if cmp -s "$T/d1" "$T/d2" && [ -s "$T/d1" ]; then
	ok "output is deterministic (same bytes with the users in another order)"
else
	fail "output differs between runs: $(diff "$T/d1" "$T/d2" | head -5)"
fi
# Without -o, the profiles form one loadable file: abi and tunables once.
if [ "$(grep -c '^abi ' "$T/d1")" = 1 ] && [ "$(grep -c '^profile ' "$T/d1")" = 2 ] &&
   err=$(aa_compile "$T/d1" 2>&1); then
	ok "stdout holds both profiles as one file that compiles"
else
	fail "stdout as one file: $err"
fi
# ... and each profile in it has the same rules as its file from -o.
rules() { sed -n '/^profile /,/^}/p'; }
if cmp -s <(rules < "$T/d1") <({ rules < "$T/b/cronguard-shared"; rules < "$T/b/cronguard-sys"; }); then
	ok "stdout and -o give the same profiles"
else
	fail "stdout and -o differ: $(diff <(rules < "$T/d1") <(rules < "$T/b/cronguard-shared") | head)"
fi

# No overwrite without --force.
echo "# local edit" > "$T/a/cronguard-shared"
gen -f "$shared" -o "$T/a" --user sys --user bin --user daemon > /dev/null 2> "$T/f.err"
rc=$?
if [ $rc -eq 2 ] && [ "$(cat "$T/a/cronguard-shared")" = "# local edit" ] &&
   grep -q 'exists; not overwriting (use --force)' "$T/f.err"; then
	ok "an existing file is kept without --force (exit 2)"
else
	fail "overwrite without --force: rc=$rc content=$(head -1 "$T/a/cronguard-shared")"
fi
gen -f "$shared" -o "$T/a" --user sys --user bin --user daemon --force > /dev/null 2>&1 ||
	fail "--force failed"
if grep -q '^profile cronguard-shared ' "$T/a/cronguard-shared" &&
   [ "$(ls -A "$T/a")" = cronguard-shared ] &&
   [ "$(stat -c %a "$T/a/cronguard-shared")" = 644 ]; then
	ok "--force replaces it (mode 0644, no temporary file left)"
else
	fail "--force: $(ls -A "$T/a"); $(head -3 "$T/a/cronguard-shared")"
fi

# A symlink at the name: refused without --force, replaced (not followed) with it.
echo keep > "$T/target"
rm -f "$T/a/cronguard-shared"
ln -s "$T/target" "$T/a/cronguard-shared"
gen -f "$shared" -o "$T/a" --user bin > /dev/null 2>&1 &&
	fail "a symlink at the name was overwritten without --force" ||
	ok "a symlink at the name is refused without --force"
gen -f "$shared" -o "$T/a" --user bin --force > /dev/null 2>&1
if [ "$(cat "$T/target")" = keep ] && [ ! -L "$T/a/cronguard-shared" ] &&
   grep -q '^profile cronguard-shared ' "$T/a/cronguard-shared"; then
	ok "--force replaces a symlink without writing through it"
else
	fail "symlink with --force: target=$(cat "$T/target")"
fi

# Usage errors.
gen --force > /dev/null 2>&1; [ $? -eq 2 ] && ok "--force without -o: exit 2" || fail "--force without -o"
gen -f "$shared" --user no-such-user-cg > /dev/null 2>&1; [ $? -eq 2 ] &&
	ok "unknown user: exit 2" || fail "unknown user"
gen --help | grep -q 'one AppArmor profile per distinct plan' && ok "--help" || fail "--help"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
