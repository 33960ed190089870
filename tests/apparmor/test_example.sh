#!/bin/bash
# test_example.sh - apparmor-profiles/examples/cronguard-locked is exactly
# what the generator writes for examples/locked.conf today (so the shipped
# example never drifts from the code), and it compiles.
. "$(dirname "$0")/lib.sh"

cd "$SRC" || exit 1
if "$CRONGUARD" gen apparmor -f apparmor-profiles/examples/locked.conf --user nobody \
	2>/dev/null | cmp -s - apparmor-profiles/examples/cronguard-locked; then
	ok "examples/cronguard-locked matches the generator's output"
else
	fail "examples/cronguard-locked is stale; regenerate it (see examples/locked.conf):"
	"$CRONGUARD" gen apparmor -f apparmor-profiles/examples/locked.conf --user nobody \
		2>/dev/null | diff apparmor-profiles/examples/cronguard-locked - | head -20
fi
err=$(aa_compile apparmor-profiles/examples/cronguard-locked 2>&1) &&
	ok "examples/cronguard-locked compiles" || fail "example does not compile: $err"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
