#!/bin/bash
# test_lint_vs_crontab.sh - `cronguard lint` verdicts against Debian's own
# `crontab -n` (cron 3.0pl1-162: "dry run: checks the syntax, then bails
# out"), side by side, on:
#   - tests/fixtures/cron-corpus: real cron files from Debian packages
#     (see its SOURCES file),
#   - tests/fixtures/cron-probes: grammar probes (env quoting, ranges, names,
#     steps, specials, CR, NUL, 0xff, missing final newline, ...),
#   - variants of every corpus file generated here (no final newline, CRLF,
#     an "A=" line, a bad line appended, a reversed range).
# crontab -n reads a file as a *user* crontab, so lint runs with --user
# here; the user field of system crontabs is covered by the unit tests and
# by lint --system on the corpus below (all must load).
set -u
src=${CG_SOURCE_DIR:?}
cg=${CRONGUARD:?}
command -v crontab >/dev/null || { echo "crontab(1) not installed"; exit 1; }
crontab -h 2>&1 | grep -q -- '-n' || { echo "this crontab has no -n"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (crontab -n writes a temp file in the spool)"; exit 1; }

tmp=$(mktemp -d /tmp/cg-lint.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0 rejected=0

compare() {
	local f=$1 deb ours
	crontab -n "$f" >/dev/null 2>&1 && deb=0 || deb=1
	"$cg" lint --user --no-users -q "$f" >"$tmp/out" 2>&1
	ours=$?
	n=$((n + 1))
	[ $deb = 1 ] && rejected=$((rejected + 1))
	if [ "$ours" != "$deb" ]; then
		echo "MISMATCH $f: crontab -n exit $deb, cronguard lint exit $ours"
		cat "$tmp/out"
		fail=1
	fi
}

for f in "$src"/tests/fixtures/cron-corpus/* "$src"/tests/fixtures/cron-probes/*; do
	[ "$(basename "$f")" = SOURCES ] && continue
	compare "$f"
done
for f in "$src"/tests/fixtures/cron-corpus/*; do
	b=$(basename "$f"); [ "$b" = SOURCES ] && continue
	head -c -1 "$f" >"$tmp/$b.nonl";                 compare "$tmp/$b.nonl"
	sed 's/$/\r/' "$f" >"$tmp/$b.crlf";              compare "$tmp/$b.crlf"
	{ cat "$f"; echo "A="; } >"$tmp/$b.emptyvar";    compare "$tmp/$b.emptyvar"
	{ cat "$f"; echo '61 * * * * x'; } >"$tmp/$b.bad"; compare "$tmp/$b.bad"
	{ cat "$f"; echo '0 9-3 * * * x'; } >"$tmp/$b.rev"; compare "$tmp/$b.rev"
	{ echo 'MAILTO=""'; cat "$f"; } >"$tmp/$b.mailto"; compare "$tmp/$b.mailto"
	# Every real package file must load in its own (system) format.
	if ! "$cg" lint --system --no-users -q "$f" >"$tmp/out" 2>&1; then
		echo "corpus file $b does not load as a system crontab:"; cat "$tmp/out"; fail=1
	fi
done
# Random files (fixed seeds): token soup from cron's grammar, and raw bytes
# (NUL, 0xff, CR, quotes) -- where hand-written probes would miss a path.
python3 - "$tmp" <<'PY'
import random, sys
d = sys.argv[1]
toks = ['*', '*/5', '1-5', '5-1', '0', '59', '60', '7', 'jan', 'Feb', 'MON-fri', 'sun', '1,2', '1,,2',
        '*/0', '5/2', '1-5/2', 'x', '@daily', '@reboot', '@foo', '@hourly', 'A=b', 'A = "b c"', 'A=',
        '="x"', "'A'=b", 'A="b" c', '#c', '', '  ', '\t', '%', '\\%', 'echo hi', 'root', '\r', '\x01',
        '\xff', 'a\x00b', '$(x)', '"', "'", '-', '/', '2>&1', '1-60', '0-23/25', '* * * * *']
rnd = random.Random(1)
for i in range(250):
    lines = [' '.join(rnd.choice(toks) for _ in range(rnd.randint(1, 8))) for _ in range(rnd.randint(1, 4))]
    data = '\n'.join(lines) + ('\n' if rnd.random() < 0.85 else '')
    open(f'{d}/tok{i}', 'wb').write(data.encode('latin-1'))
alpha = b' \t\n\r*,-/%\\"\'=@#0123456789abcdefgjmnorsutwyADFJMNOSTW\x00\x01\xff'
for i in range(150):
    open(f'{d}/raw{i}', 'wb').write(bytes(rnd.choice(alpha) for _ in range(rnd.randint(0, 300))))
PY
for f in "$tmp"/tok* "$tmp"/raw*; do compare "$f"; done

echo "compared $n files with crontab -n ($rejected rejected by cron)"
[ $n -ge 100 ] || { echo "too few files compared"; fail=1; }
[ $rejected -ge 20 ] && [ $rejected -lt $n ] || { echo "corpus does not exercise both verdicts"; fail=1; }
exit $fail
