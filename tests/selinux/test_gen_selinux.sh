#!/bin/bash
# test_gen_selinux.sh - `cronguard gen selinux` end to end, offline:
# generate modules for three plans, build them with the refpolicy devel
# Makefile, link them with the base module into ONE scratch copy of the
# installed policy store (semodule -n -p ROOT: the host's store and kernel
# are not touched), and prove with sesearch, sedta, matchpathcon and
# se_answers.py (setools) what each job domain can do.  Then replace the
# modules by their CIL form in the same store and require the same answers.
#
# Two links in all (each costs about 10 s).  Needs selinux-policy-dev,
# selinux-policy-default, semodule-utils, setools, policycoreutils.
set -euo pipefail

: "${CRONGUARD:?path of the built cronguard}"
: "${CG_SOURCE_DIR:?source tree}"
HERE=$CG_SOURCE_DIR/tests/selinux
DEVEL=/usr/share/selinux/devel/Makefile

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

for tool in semodule sesearch sedta seinfo matchpathcon make /usr/bin/python3; do
	command -v "$tool" >/dev/null || fail "$tool missing (install setools, policycoreutils, semodule-utils)"
done
[ -f "$DEVEL" ] || fail "$DEVEL missing (install selinux-policy-dev)"
[ -d /var/lib/selinux/default/active ] && [ -d /etc/selinux/default ] ||
	fail "no installed policy store (install selinux-policy-default)"

W=$(mktemp -d /tmp/cg-selinux.XXXXXX)
trap 'rm -rf -- "$W"' EXIT
start=$SECONDS

# --- the policy: three plans -------------------------------------------------
# root: system cron scripts, network any, three capabilities
# nobody: its own domain name, https and 5432 and udp
# daemon: the default plan: network none, no capabilities
cat >"$W/cg.conf" <<'EOF'
[default]
mode = enforce
exec = /usr /bin /usr/local/lib/cg-test-jobs
interpreters = /bin/sh /bin/bash
write = ~ /tmp /dev/null
network = none
capabilities = none

[user root]
exec = /usr /bin /usr/local/lib/cg-test-root /etc/cron.daily
write = /var /run /tmp /dev/null
network = any
capabilities = CAP_CHOWN CAP_DAC_OVERRIDE CAP_SETUID

[user nobody]
exec = /usr/local/lib/cg-test-nobody
network = tcp-connect:443,5432 udp
selinux = cg_test_nobody_t
EOF
USERS=(--user root --user nobody --user daemon)
gen() { "$CRONGUARD" gen selinux -f "$W/cg.conf" "${USERS[@]}" --subs "$SUBS" "$@"; }

# --- a scratch copy of the installed store -----------------------------------
R=$W/root
mkdir -p "$R/var/lib" "$R/etc"
cp -a /var/lib/selinux "$R/var/lib/"
cp -a /etc/selinux "$R/etc/"
# no home directory contexts: they need the host's users and cost time
echo 'disable-genhomedircon=true' >>"$R/etc/selinux/semanage.conf"
FC=$R/etc/selinux/default/contexts/files/file_contexts
SUBS=$FC.subs_dist
POL=$R/etc/selinux/default/policy/policy.33
[ -f "$SUBS" ] || fail "$SUBS missing"

# --- generate ----------------------------------------------------------------
gen -o "$W/pp" >/dev/null || fail "gen selinux (refpolicy)"
gen -o "$W/cil" --format cil >/dev/null || fail "gen selinux --format cil"
ls "$W/pp" | sort | tr '\n' ' ' | grep -qx 'build.sh cg_test_nobody.fc cg_test_nobody.te cronguard_daemon.fc cronguard_daemon.te cronguard_root.fc cronguard_root.te ' ||
	fail "unexpected files: $(ls "$W/pp")"
ls "$W/cil" | sort | tr '\n' ' ' | grep -qx 'build.sh cg_test_nobody.cil cronguard_daemon.cil cronguard_root.cil ' ||
	fail "unexpected CIL files: $(ls "$W/cil")"
pass "one module per plan, named from the selinux key or the user"

gen -o "$W/pp2" >/dev/null
diff -r "$W/pp" "$W/pp2" >/dev/null || fail "output is not deterministic"
pass "deterministic output"

cp "$W/pp/cronguard_root.te" "$W/root.te.orig"
echo '# local edit' >>"$W/pp/cronguard_root.te"
if gen -o "$W/pp" >/dev/null 2>"$W/err"; then fail "overwrote without --force"; fi
grep -q 'exists (use --force' "$W/err" || fail "no reason given: $(cat "$W/err")"
grep -q '# local edit' "$W/pp/cronguard_root.te" || fail "a file changed although gen refused"
gen -o "$W/pp" --force >/dev/null || fail "--force"
cmp -s "$W/pp/cronguard_root.te" "$W/root.te.orig" || fail "--force did not rewrite"
[ -x "$W/pp/build.sh" ] || fail "build.sh not executable"
pass "no overwrite without --force"

gen -o "$W/perm" --permissive >/dev/null
grep -qx 'permissive cronguard_root_t;' "$W/perm/cronguard_root.te" || fail "--permissive not in .te"
gen -o "$W/permcil" --permissive --format cil >/dev/null
grep -qx '(typepermissive cronguard_root_t)' "$W/permcil/cronguard_root.cil" || fail "--permissive not in .cil"
if grep -q '^permissive' "$W/pp/"*.te; then fail "permissive statement without --permissive"; fi
pass "--permissive"

# one directory cannot whitelist scripts for two plans: its label picks the domain
sed 's|^exec = /usr /bin /usr/local/lib/cg-test-root|exec += /usr/local/lib/cg-test-root|' "$W/cg.conf" >"$W/clash.conf"
if "$CRONGUARD" gen selinux -f "$W/clash.conf" "${USERS[@]}" --subs "$SUBS" -o "$W/clash" 2>"$W/err"; then
	fail "a directory shared by two plans was accepted"
fi
grep -q 'whitelisted by two plans' "$W/err" || fail "no reason for the clash: $(cat "$W/err")"
[ ! -e "$W/clash/build.sh" ] || fail "files written despite the clash"
pass "a script directory shared by two plans is refused"

# file contexts: canonical paths (subs_dist maps /usr/local/lib to /usr/lib),
# nothing for the system directories in exec
grep -q '^/usr/lib/cg-test-root/\.\*' "$W/pp/cronguard_root.fc" || fail ".fc lacks the canonical path"
if grep -q '^/usr/local/lib' "$W/pp/cronguard_root.fc"; then fail ".fc names an aliased path"; fi
if grep -Eq '^/(usr|bin)[[:space:]]' "$W/pp/"*.fc; then fail ".fc relabels a system directory"; fi
grep -q "'/usr/local/lib/cg-test-root'" "$W/pp/build.sh" || fail "build.sh does not relabel the directory as on disk"
grep -q '^semodule -i cronguard.pp -i cronguard_root.pp -i cg_test_nobody.pp -i cronguard_daemon.pp$' "$W/pp/build.sh" ||
	fail "build.sh install line: $(grep semodule "$W/pp/build.sh")"
pass "file contexts in canonical paths"

# --- build (build.sh's own make line) and link once --------------------------
CRONGUARD_SELINUX_BASE=$CG_SOURCE_DIR/selinux-policy "$W/pp/build.sh" --build-only >"$W/build.log" 2>&1 ||
	{ cat "$W/build.log"; fail "build.sh --build-only"; }
for m in cronguard cronguard_root cg_test_nobody cronguard_daemon; do
	[ -s "$W/pp/$m.pp" ] || fail "$m.pp not built"
done
pass "modules build with $DEVEL"

t0=$SECONDS
(cd "$W/pp" && semodule -n -p "$R" -i cronguard.pp -i cronguard_root.pp -i cg_test_nobody.pp \
	-i cronguard_daemon.pp) >"$W/link.log" 2>&1 || { cat "$W/link.log"; fail "link refpolicy modules"; }
pass "base and three modules link into the scratch store ($((SECONDS - t0)) s)"

DOMS=(cronguard_root_t:cronguard_root_script_t cg_test_nobody_t:cg_test_nobody_script_t
	cronguard_daemon_t:cronguard_daemon_script_t)
/usr/bin/python3 "$HERE/se_answers.py" "$POL" "${DOMS[@]}" >"$W/answers.pp" || fail "se_answers.py"

has() { grep -qx -- "$1" "$W/answers.pp" || fail "expected: '$1'; got: $(grep "^${1%% *} ${2:-}" "$W/answers.pp" | head -3)"; }
for ds in "${DOMS[@]}"; do
	d=${ds%%:*} s=${ds##*:}
	has "$d type enforcing"
	# executes without a transition only its scripts and the shell
	has "$d execute_no_trans $s shell_exec_t"
	# and maps only the loader and libraries besides: no bin_t
	ex=$(grep "^$d execute " "$W/answers.pp" | cut -d' ' -f3-)
	for t in $ex; do
		case $t in "$s" | shell_exec_t | ld_so_t | lib_t | textrel_shlib_t) ;;
		*) fail "$d may execute $t" ;; esac
	done
	# no transition leaves it
	has "$d process:transition "
	has "$d process:dyntransition "
	has "$d process:setexec "
	has "$d process:setcurrent "
	# crond and system cron jobs enter it by executing its scripts
	has "$d transition_in crond_t via $s"
	has "$d transition_in system_cronjob_t via $s"
done
# network from the plan
has "cronguard_daemon_t self:tcp_socket "
has "cronguard_daemon_t self:udp_socket "
has "cronguard_daemon_t self:rawip_socket "
has "cronguard_daemon_t tcp_socket:name_connect "
grep -q '^cg_test_nobody_t tcp_socket:name_connect .*http_port_t' "$W/answers.pp" || fail "nobody cannot connect to https"
grep -q '^cg_test_nobody_t self:udp_socket .*create' "$W/answers.pp" || fail "nobody has no udp"
has "cg_test_nobody_t tcp_socket:name_bind "
grep -q '^cronguard_root_t self:tcp_socket .*create' "$W/answers.pp" || fail "root has no tcp"
# capabilities from the plan
has "cronguard_root_t self:capability chown dac_override setuid"
has "cronguard_daemon_t self:capability "
has "cg_test_nobody_t self:capability "
has "cronguard_root_t self:capability2 "
pass "job domains: exec, transitions, entry, network, capabilities (setools)"

# The same questions through the command-line tools.
for d in cronguard_root_t cronguard_daemon_t; do
	out=$(sesearch -A -s "$d" -t bin_t -c file -p execute,execute_no_trans "$POL")
	[ -z "$out" ] || fail "sesearch: $d may execute bin_t: $out"
	# rules print as "allow SOURCE TARGET:CLASS perms": the targets, expanded by hand
	out=$(sesearch -A -s "$d" -c file -p execute_no_trans "$POL" | awk '{print $3}' | cut -d: -f1 | sort -u | tr '\n' ' ')
	[ "$out" = "${d%_t}_script_t shell_exec_t " ] || fail "sesearch: $d execute_no_trans on: $out"
	sedta -p "$POL" -s "$d" | grep -q '^0 domain transition(s) found' || fail "sedta: a transition leaves $d"
done
sedta -p "$POL" -s system_cronjob_t -t cronguard_root_t -S | grep -q '^1 domain transition path(s) found' ||
	fail "sedta: system_cronjob_t does not reach cronguard_root_t"
out=$(sesearch -T -s crond_t -t cronguard_daemon_script_t -c process "$POL")
[ "$out" = "type_transition crond_t cronguard_daemon_script_t:process cronguard_daemon_t;" ] ||
	fail "sesearch: crond_t type_transition: $out"
pass "sesearch and sedta agree"

# file contexts of the exec directories (matchpathcon applies subs_dist)
label() { matchpathcon -n -f "$FC" "$1"; }
expect_label() {
	local got
	got=$(label "$1") || fail "matchpathcon $1"
	case $got in *":$2:"*) ;; *) fail "$1 is $got, not $2" ;; esac
}
expect_label /usr/local/lib/cg-test-root cronguard_root_script_t
expect_label /usr/local/lib/cg-test-root/backup.sh cronguard_root_script_t
expect_label /usr/lib/cg-test-root/backup.sh cronguard_root_script_t
expect_label /usr/local/lib/cg-test-jobs/x cronguard_daemon_script_t
expect_label /etc/cron.daily cronguard_root_script_t
expect_label /etc/cron.daily/cg-test cronguard_root_script_t
expect_label /usr/local/lib/cg-test-nobody/x cg_test_nobody_script_t
expect_label /usr/local/lib/cg-test-other/x lib_t
expect_label /usr/bin/true bin_t
expect_label /etc/cron.hourly/x bin_t
pass "exec directories get the script type (matchpathcon)"

# --- the CIL form in the same store: same names, so it replaces them ---------
t0=$SECONDS
(cd "$W/cil" && semodule -n -p "$R" -i cronguard_root.cil -i cg_test_nobody.cil \
	-i cronguard_daemon.cil) >"$W/link.log" 2>&1 || { cat "$W/link.log"; fail "link CIL modules"; }
for m in cronguard_root cg_test_nobody cronguard_daemon; do
	f=$(ls -d "$R"/var/lib/selinux/default/active/modules/*/"$m")
	[ "$(cat "$f/lang_ext")" = cil ] || fail "$m is not the CIL module now"
done
pass "CIL modules link ($((SECONDS - t0)) s)"
/usr/bin/python3 "$HERE/se_answers.py" "$POL" "${DOMS[@]}" >"$W/answers.cil" || fail "se_answers.py (CIL)"
diff -u "$W/answers.pp" "$W/answers.cil" || fail "the CIL form answers differently"
expect_label /usr/local/lib/cg-test-root/backup.sh cronguard_root_script_t
expect_label /usr/local/lib/cg-test-jobs/x cronguard_daemon_script_t
expect_label /etc/cron.daily/cg-test cronguard_root_script_t
expect_label /usr/local/lib/cg-test-nobody/x cg_test_nobody_script_t
pass "CIL form answers the same ($(wc -l <"$W/answers.cil") answers)"

echo "all passed in $((SECONDS - start)) s"
