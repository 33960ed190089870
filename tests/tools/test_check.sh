#!/usr/bin/env bash
# test_check.sh - `cronguard check`: exit 2 with FILE:LINE: reason for every
# error of a malformed policy, exit 0 on the shipped default policy, --help
# exits 0 and an unknown option exits 2.
#
# Env (set by ctest): CRONGUARD (the built binary), CG_SOURCE_DIR.
set -uo pipefail

: "${CRONGUARD:?run through ctest, or set CRONGUARD}"
: "${CG_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"

tmp=$(mktemp -d /tmp/cg-check-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# run ARGS... : sets $rc, $out (stdout) and $err (stderr).
run() {
	"$CRONGUARD" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect_invalid NAME CONTENT EXPECTED-LINE...: write CONTENT to NAME.conf,
# check exits 2 and prints exactly the expected diagnostics (each
# "FILE:LINE: message") on stderr, in order.
expect_invalid() {
	local name=$1 content=$2
	shift 2
	local f="$tmp/$name.conf"
	printf '%s' "$content" >"$f"
	run check -f "$f"
	[ "$rc" -eq 2 ] || fail "$name: exit $rc, want 2 (stderr: $err)"
	[ -z "$out" ] || fail "$name: printed on stdout: $out"
	local want=""
	for line in "$@"; do
		want+="$f:$line"$'\n'
	done
	want=${want%$'\n'}
	if [ "$err" != "$want" ]; then
		fail "$name: diagnostics differ"
		diff <(echo "$want") <(echo "$err") >&2
	fi
}

expect_invalid unknown_key $'[default]\nmode = enforce\nbogus = 1\n' \
	"3: unknown key 'bogus'"
expect_invalid outside_section $'# c\nmode = off\n[default]\n' \
	"2: key 'mode' outside a section (start with [default])"
expect_invalid duplicate $'[default]\numask = 0022\numask = 0077\n' \
	"3: duplicate key 'umask' (first set at line 2)"
expect_invalid bad_header $'[defualt]\nmode = off\n' \
	"1: unknown section '[defualt]' (expected [default], [group NAME] or [user NAME])"
expect_invalid relative_path $'[default]\nexec = /usr bin\n' \
	"2: exec: not an absolute path: 'bin'"
expect_invalid bad_limit $'[default]\n\n\nlimit.nofile = 10:5\n' \
	"4: limit.nofile: soft limit above hard limit in '10:5'"
expect_invalid crlf $'[default]\r\n' \
	"1: carriage return (DOS line ending)"
expect_invalid several \
	$'[default]\nmode = strict\nnice = 99\n[user -x]\nnetwork = tcp-connect:0\ncapabilities = CAP_FOO\n' \
	"2: mode: expected enforce, complain or off, not 'strict'" \
	"3: nice: expected a nice value from -20 to 19, not '99'" \
	"4: invalid user name '-x'" \
	"5: network: bad port '0' (1-65535, or LOW-HIGH)" \
	"6: capabilities: unknown capability 'CAP_FOO'"

# A NUL byte: the message is about the whole file (no line).
printf '[default]\nmode = off\n\0\n' >"$tmp/nul.conf"
run check -f "$tmp/nul.conf"
[ "$rc" -eq 2 ] || fail "nul: exit $rc, want 2"
[ "$err" = "$tmp/nul.conf: file contains a NUL byte" ] || fail "nul: stderr: $err"

# A drop-in next to a -f file is read too, and its errors name it.
mkdir "$tmp/drop.d"
printf '[default]\nmode = off\n' >"$tmp/drop.conf"
printf '[user bob]\n\nnice = x\n' >"$tmp/drop.d/10-bob.conf"
run check -f "$tmp/drop.conf"
[ "$rc" -eq 2 ] || fail "dropin: exit $rc, want 2"
[ "$err" = "$tmp/drop.d/10-bob.conf:3: nice: expected a nice value from -20 to 19, not 'x'" ] ||
	fail "dropin: stderr: $err"

# A missing file.
run check -f "$tmp/missing.conf"
[ "$rc" -eq 2 ] || fail "missing: exit $rc, want 2"
[ "$err" = "$tmp/missing.conf: cannot read policy file: No such file or directory" ] ||
	fail "missing: stderr: $err"

# The shipped default policy is valid, and resolves for root.
run check -f "$CG_SOURCE_DIR/pam_cronguard/cronguard.conf"
[ "$rc" -eq 0 ] || fail "shipped policy: exit $rc, want 0 (stderr: $err)"
[ -z "$err" ] || fail "shipped policy: stderr: $err"
case $out in
*"valid (1 file, 2 sections)"*) ;;
*) fail "shipped policy: stdout: $out" ;;
esac
run check -f "$CG_SOURCE_DIR/pam_cronguard/cronguard.conf" --user root -q
[ "$rc" -eq 0 ] || fail "shipped policy --user root: exit $rc (stderr: $err)"
[ -z "$out$err" ] || fail "shipped policy -q printed: $out$err"
run check -f "$CG_SOURCE_DIR/pam_cronguard/cronguard.conf" --user cg-no-such-user-7f3a
[ "$rc" -eq 2 ] || fail "unknown --user: exit $rc, want 2"

# Usage.
run check --help
[ "$rc" -eq 0 ] || fail "check --help: exit $rc, want 0"
case $out in
Usage:*) ;;
*) fail "check --help: stdout: $out" ;;
esac
run --help
[ "$rc" -eq 0 ] || fail "--help: exit $rc, want 0"
run check --no-such-option
[ "$rc" -eq 2 ] || fail "check --no-such-option: exit $rc, want 2"
run check -f "$CG_SOURCE_DIR/pam_cronguard/cronguard.conf" extra-arg
[ "$rc" -eq 2 ] || fail "check with a stray argument: exit $rc, want 2"
run no-such-command
[ "$rc" -eq 2 ] || fail "unknown command: exit $rc, want 2"

if [ "$fails" -ne 0 ]; then
	echo "$fails failure(s)" >&2
	exit 1
fi
echo "test_check: all passed"
