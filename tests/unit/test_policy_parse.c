/* test_policy_parse.c - the policy parser: every malformed input is reported
 * as FILE:LINE with its reason, parsing goes on after an error, and valid
 * input parses to the values cronguard.conf(5) promises. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "policy.h"

#define FILE_NAME "/etc/security/cronguard.d/50-test.conf"

static struct cg_policy pol;
static struct cg_diags d;

static void setup(void)
{
	memset(&pol, 0, sizeof(pol));
	memset(&d, 0, sizeof(d));
}

static void teardown(void)
{
	cg_policy_free(&pol);
	cg_diags_free(&d);
}

static size_t parse_n(const char *text, size_t len)
{
	return cg_policy_parse(&pol, FILE_NAME, text, len, &d);
}

static size_t parse(const char *text)
{
	return parse_n(text, strlen(text));
}

static void assert_diag(size_t i, unsigned line, const char *msg)
{
	char want[600], got[600];

	cr_assert_lt(i, d.n, "only %zu diagnostics, wanted #%zu: %u: %s", d.n, i, line, msg);
	cr_assert_str_eq(d.v[i].file, FILE_NAME);
	cr_assert_eq(d.v[i].line, line, "diagnostic #%zu at line %u, want %u (%s)",
		     i, d.v[i].line, line, d.v[i].msg);
	cr_assert_str_eq(d.v[i].msg, msg);
	cr_assert_not(d.v[i].warning);
	/* What `cronguard check` and the module's log line print. */
	if (line)
		snprintf(want, sizeof(want), "%s:%u: %s", FILE_NAME, line, msg);
	else
		snprintf(want, sizeof(want), "%s: %s", FILE_NAME, msg);
	cg_diag_format(&d.v[i], got, sizeof(got));
	cr_assert_str_eq(got, want);
}

/* Exactly one error, at LINE, with MSG. */
static void expect_error(const char *text, size_t len, unsigned line, const char *msg)
{
	size_t n = parse_n(text, len);

	for (size_t i = 0; i < d.n; i++)
		cr_log_info("%s:%u: %s", d.v[i].file, d.v[i].line, d.v[i].msg);
	cr_assert_eq(n, 1, "parse returned %zu errors, want 1", n);
	cr_assert_eq(d.errors, 1);
	cr_assert_eq(d.n, 1);
	assert_diag(0, line, msg);
}

#define BAD(tname, text, line, msg) \
	Test(malformed, tname, .init = setup, .fini = teardown) \
	{ expect_error(text, sizeof(text) - 1, line, msg); }

/* --- structure --------------------------------------------------------- */
BAD(unknown_key, "[default]\nmode = enforce\nfoo = 1\n", 3, "unknown key 'foo'")
BAD(unknown_key_case, "[default]\nMode = enforce\n", 2, "unknown key 'Mode'")
BAD(unknown_key_spaces, "[default]\nno new privs = yes\n", 2, "unknown key 'no new privs'")
BAD(unknown_key_long,
    "[default]\n# c\nkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk = 1\n", 3,
    "unknown key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk'")
BAD(unknown_limit, "[default]\nlimit.bogus = 1\n", 2, "unknown resource limit 'bogus'")
BAD(unknown_limit_empty, "[default]\nlimit. = 1\n", 2, "unknown resource limit ''")
BAD(duplicate_key, "[default]\nmode = enforce\n# later\nmode = off\n", 4,
    "duplicate key 'mode' (first set at line 2)")
BAD(duplicate_key_append, "[group g]\nexec = /usr\nexec += /opt\n", 3,
    "duplicate key 'exec' (first set at line 2)")
BAD(duplicate_limit, "[default]\nlimit.nofile = 10\nlimit.nproc = 5\nlimit.nofile = 20\n", 4,
    "duplicate key 'limit.nofile' (first set at line 2)")
BAD(key_outside_section, "# top\nmode = enforce\n[default]\n", 2,
    "key 'mode' outside a section (start with [default])")
BAD(no_equals, "[default]\nmode enforce\n", 2, "expected 'key = value'")
BAD(missing_key, "[default]\n  = enforce\n", 2, "missing key before '='")
BAD(missing_key_append, "[default]\n+= /usr\n", 2, "missing key before '='")

/* --- section headers --------------------------------------------------- */
BAD(header_unclosed, "[default\nmode = off\n", 1, "section header without closing ']'")
BAD(header_trailing_text, "[default] mode = off\n", 1, "section header without closing ']'")
BAD(header_unknown, "[defaults]\n", 1,
    "unknown section '[defaults]' (expected [default], [group NAME] or [user NAME])")
BAD(header_uppercase, "[USER bob]\n", 1,
    "unknown section '[USER bob]' (expected [default], [group NAME] or [user NAME])")
BAD(header_empty, "[ ]\n", 1,
    "unknown section '[]' (expected [default], [group NAME] or [user NAME])")
BAD(header_default_named, "[default bob]\n", 1, "[default] takes no name")
BAD(header_user_no_name, "[user]\n", 1, "[user] needs a name")
BAD(header_group_no_name, "[group   ]\n", 1, "[group] needs a name")
BAD(name_leading_dash, "[user -bob]\n", 1, "invalid user name '-bob'")
BAD(name_with_space, "[group cron users]\n", 1, "invalid group name 'cron users'")
BAD(name_dotdot, "[user ..]\n", 1, "invalid user name '..'")
BAD(name_dollar_inside, "[user a$b]\n", 1, "invalid user name 'a$b'")
BAD(name_slash, "[group a/b]\n", 1, "invalid group name 'a/b'")

/* --- += and empty values ----------------------------------------------- */
BAD(append_scalar, "[default]\nmode += enforce\n", 2, "'mode' takes one value; '+=' is for lists")
BAD(append_limit, "[default]\nlimit.nofile += 5\n", 2,
    "'limit.nofile' takes one value; '+=' is for lists")
BAD(append_network_none, "[group g]\nnetwork += none\n", 2,
    "network: 'none' and 'any' cannot be appended")
BAD(append_network_any, "[group g]\nnetwork += any\n", 2,
    "network: 'none' and 'any' cannot be appended")
BAD(scalar_no_value, "[default]\nmode =\n", 2, "'mode' has no value")
BAD(scalar_only_comment, "[default]\numask = # later\n", 2, "'umask' has no value")
BAD(list_no_value, "[default]\nexec =   \n", 2,
    "exec: empty value (write 'none' for an empty list)")
BAD(env_no_value, "[default]\nenv.deny =\n", 2, "env.deny: empty value (write 'none')")

/* --- paths -------------------------------------------------------------- */
BAD(path_relative, "[default]\nexec = /usr usr/local/bin\n", 2,
    "exec: not an absolute path: 'usr/local/bin'")
BAD(path_double_slash, "[default]\nread = /usr//lib\n", 2,
    "read: path not normalized (\"//\"): '/usr//lib'")
BAD(path_trailing_slash, "[default]\nwrite = /tmp/\n", 2,
    "write: path not normalized (trailing \"/\"): '/tmp/'")
BAD(path_dot, "[default]\nwrite = /var/./tmp\n", 2,
    "write: path not normalized (\"/./\"): '/var/./tmp'")
BAD(path_dotdot_end, "[default]\nread = /srv/..\n", 2,
    "read: path not normalized (\"/../\"): '/srv/..'")
BAD(path_bad_percent, "[default]\nwrite = /var/%x\n", 2,
    "write: unknown % sequence (only %u and %% are known): '/var/%x'")
BAD(path_percent_at_end, "[default]\nwrite = /var/tmp/cron-%\n", 2,
    "write: unknown % sequence (only %u and %% are known): '/var/tmp/cron-%'")
BAD(path_tilde_user, "[default]\nwrite = ~bob/cron\n", 2,
    "write: ~ must stand alone or before '/' (~user is not supported): '~bob/cron'")
BAD(path_tilde_slash, "[default]\nwrite = ~/\n", 2,
    "write: path not normalized (trailing \"/\"): '~/'")
BAD(path_none_in_list, "[default]\nexec = /usr none\n", 2, "exec: 'none' must stand alone")
BAD(path_unterminated_quote, "[default]\nexec = \"/opt/my jobs\n", 2, "exec: unterminated quote")
BAD(path_quoted_empty, "[default]\nexec = \"\"\n", 2, "exec: not an absolute path: ''")
BAD(path_dirs_relative, "[default]\npath = /usr/bin:bin\n", 2, "path: not an absolute path: 'bin'")
BAD(path_del_char, "[default]\nread = /a\x7f" "b\n", 2,
    "read: control character in path: '/a\x7f" "b'")
BAD(manifest_relative, "[default]\nmanifest = scripts.sha256\n", 2,
    "manifest: not an absolute path: 'scripts.sha256'")

/* --- umask, nice -------------------------------------------------------- */
BAD(umask_not_octal, "[default]\numask = 0778\n", 2,
    "umask: expected an octal umask like 0077, not '0778'")
BAD(umask_negative, "[default]\numask = -1\n", 2,
    "umask: expected an octal umask like 0077, not '-1'")
BAD(umask_too_long, "[default]\numask = 00077\n", 2,
    "umask: expected an octal umask like 0077, not '00077'")
BAD(umask_too_big, "[default]\numask = 1000\n", 2, "umask: umask '1000' above 0777")
BAD(nice_high, "[default]\nnice = 20\n", 2, "nice: expected a nice value from -20 to 19, not '20'")
BAD(nice_low, "[default]\nnice = -21\n", 2,
    "nice: expected a nice value from -20 to 19, not '-21'")
BAD(nice_junk, "[default]\nnice = 5x\n", 2, "nice: expected a nice value from -20 to 19, not '5x'")
BAD(nice_huge, "[default]\nnice = 99999999999999999999\n", 2,
    "nice: expected a nice value from -20 to 19, not '99999999999999999999'")

/* --- limits ------------------------------------------------------------- */
#define LIMIT_HELP " (a number with optional K, M, G or T, or unlimited; SOFT:HARD)"
BAD(limit_bad_suffix, "[default]\nlimit.fsize = 10Q\n", 2, "limit.fsize: bad limit '10Q'" LIMIT_HELP)
BAD(limit_two_letter_suffix, "[default]\nlimit.fsize = 10KB\n", 2,
    "limit.fsize: bad limit '10KB'" LIMIT_HELP)
BAD(limit_negative, "[default]\nlimit.nofile = -1\n", 2, "limit.nofile: bad limit '-1'" LIMIT_HELP)
BAD(limit_word, "[default]\nlimit.cpu = lots\n", 2, "limit.cpu: bad limit 'lots'" LIMIT_HELP)
BAD(limit_overflow, "[default]\nlimit.fsize = 99999999999999999999\n", 2,
    "limit.fsize: bad limit '99999999999999999999'" LIMIT_HELP)
BAD(limit_suffix_overflow, "[default]\nlimit.fsize = 16777216T\n", 2,
    "limit.fsize: bad limit '16777216T'" LIMIT_HELP)
BAD(limit_max_is_infinity, "[default]\nlimit.fsize = 18446744073709551615\n", 2,
    "limit.fsize: bad limit '18446744073709551615'" LIMIT_HELP)
BAD(limit_three_parts, "[default]\nlimit.nofile = 1:2:3\n", 2,
    "limit.nofile: bad limit '1:2:3'" LIMIT_HELP)
BAD(limit_empty_hard, "[default]\nlimit.nofile = 1024:\n", 2,
    "limit.nofile: bad limit '1024:'" LIMIT_HELP)
BAD(limit_soft_above_hard, "[default]\nlimit.nofile = 4096:1024\n", 2,
    "limit.nofile: soft limit above hard limit in '4096:1024'")
BAD(limit_unlimited_soft, "[default]\nlimit.nproc = unlimited:100\n", 2,
    "limit.nproc: soft limit above hard limit in 'unlimited:100'")

/* --- network ------------------------------------------------------------ */
#define PORT_HELP " (1-65535, or LOW-HIGH)"
BAD(port_zero, "[default]\nnetwork = tcp-connect:0\n", 2, "network: bad port '0'" PORT_HELP)
BAD(port_too_big, "[default]\nnetwork = tcp-connect:443,65536\n", 2,
    "network: bad port '65536'" PORT_HELP)
BAD(port_name, "[default]\nnetwork = tcp-connect:https\n", 2, "network: bad port 'https'" PORT_HELP)
BAD(port_open_range, "[default]\nnetwork = tcp-bind:1024-\n", 2,
    "network: bad port '1024-'" PORT_HELP)
BAD(port_long_token, "[default]\nnetwork = tcp-bind:00000000000000000080\n", 2,
    "network: bad port '00000000000000000080'" PORT_HELP)
BAD(port_reversed, "[default]\nnetwork = tcp-connect:100-10\n", 2,
    "network: reversed port range '100-10'")
BAD(port_empty, "[default]\nnetwork = tcp-connect:\n", 2, "network: empty port in ''")
BAD(port_empty_between, "[default]\nnetwork = tcp-connect:22,,25\n", 2,
    "network: empty port in '22,,25'")
BAD(network_unknown_rule, "[default]\nnetwork = tcp:22\n", 2,
    "network: unknown network rule 'tcp:22' (none, any, tcp-connect:PORTS, tcp-bind:PORTS, udp)")
BAD(network_none_not_alone, "[default]\nnetwork = none udp\n", 2, "network: 'none' must stand alone")
BAD(network_any_not_alone, "[default]\nnetwork = tcp-connect:22 any\n", 2,
    "network: 'any' must stand alone")

/* --- capabilities, environment, scope, mode, bools, names --------------- */
BAD(cap_unknown, "[user root]\ncapabilities = CAP_CHOWN CAP_FOO\n", 2,
    "capabilities: unknown capability 'CAP_FOO'")
BAD(cap_bare_prefix, "[user root]\ncapabilities = CAP_\n", 2,
    "capabilities: unknown capability 'CAP_'")
BAD(cap_all_not_alone, "[user root]\ncapabilities = all CAP_KILL\n", 2,
    "capabilities: 'all' must stand alone")
BAD(env_pattern_dash, "[default]\nenv.deny = LD-*\n", 2,
    "env.deny: bad environment pattern 'LD-*' (letters, digits, _, * and ?)")
BAD(env_pattern_digit_first, "[default]\nenv.deny = 1ABC\n", 2,
    "env.deny: bad environment pattern '1ABC' (letters, digits, _, * and ?)")
BAD(env_pattern_equals, "[default]\nenv.deny += FOO=1\n", 2,
    "env.deny: bad environment pattern 'FOO=1' (letters, digits, _, * and ?)")
BAD(env_pattern_empty_quoted, "[default]\nenv.deny = \"\"\n", 2,
    "env.deny: empty environment pattern")
BAD(env_set_no_equals, "[default]\nenv.set = LANG\n", 2, "env.set: expected NAME=VALUE, not 'LANG'")
BAD(env_set_no_name, "[default]\nenv.set = =C\n", 2, "env.set: expected NAME=VALUE, not '=C'")
BAD(env_set_bad_name, "[default]\nenv.set = 1LANG=C\n", 2, "env.set: bad variable name in '1LANG=C'")
BAD(env_set_glob_name, "[default]\nenv.set = LC_*=C\n", 2, "env.set: bad variable name in 'LC_*=C'")
BAD(env_set_unterminated, "[default]\nenv.set = \"MSG=a b\n", 2, "env.set: unterminated quote")
BAD(scope_unknown, "[default]\nscope = signals everything\n", 2,
    "scope: unknown scope 'everything' (none, signals, abstract-unix)")
BAD(scope_none_not_alone, "[default]\nscope = none signals\n", 2, "scope: 'none' must stand alone")
BAD(mode_unknown, "[default]\nmode = Enforce\n", 2,
    "mode: expected enforce, complain or off, not 'Enforce'")
BAD(mode_two_words, "[default]\nmode = enforce complain\n", 2,
    "mode: expected enforce, complain or off, not 'enforce complain'")
BAD(bool_maybe, "[default]\nallow = maybe\n", 2, "allow: expected yes or no, not 'maybe'")
BAD(bool_uppercase, "[default]\nno_new_privs = YES\n", 2,
    "no_new_privs: expected yes or no, not 'YES'")
BAD(bool_two, "[default]\nprivate_tmp = 2\n", 2, "private_tmp: expected yes or no, not '2'")
BAD(name_space, "[default]\napparmor = cron guard\n", 2,
    "apparmor: bad character ' ' in name 'cron guard'")
BAD(name_bad_percent, "[default]\nselinux = cron_%d_t\n", 2,
    "selinux: unknown % sequence in 'cron_%d_t'")

/* --- bytes the parser refuses ------------------------------------------- */
BAD(control_char, "[default]\nmode = en\x01" "force\n", 2, "control character 0x01")
BAD(control_char_in_comment, "[default]\n# \x1b[31mred\n", 2, "control character 0x1b")
BAD(vertical_tab, "[default]\nmode =\venforce\n", 2, "control character 0x0b")
BAD(nul_byte, "[default]\nmode = enforce\n\0more\n", 0, "file contains a NUL byte")
BAD(cr_last_line, "[default]\nmode = enforce\r", 2, "carriage return (DOS line ending)")

/* The scan for control bytes reads 8 bytes at a time: a bad byte must be
 * found at every offset, also after tabs in the same word and across the
 * last partial word of a line. */
Test(malformed, control_char_at_every_offset, .init = setup, .fini = teardown)
{
	for (size_t len = 1; len <= 26; len++) {
		for (size_t pos = 0; pos < len; pos++) {
			char text[64] = "[default]\n#";
			size_t n = strlen(text);

			for (size_t i = 0; i < len; i++)
				text[n + i] = i % 5 == 3 ? '\t' : 'x';
			text[n + pos] = pos % 2 ? '\r' : '\x1f';
			text[n + len] = '\n';
			strcpy(text + n + len + 1, "mode = \toff\t\n");
			cg_policy_free(&pol);
			cg_diags_free(&d);
			cr_assert_eq(parse(text), 1, "len %zu pos %zu", len, pos);
			assert_diag(0, 2, pos % 2 ? "carriage return (DOS line ending)"
					      : "control character 0x1f");
			cr_assert_eq(pol.sections[0].entries[0].value.mode, CG_MODE_OFF);
		}
	}
}

Test(malformed, first_control_byte_decides_the_message, .init = setup, .fini = teardown)
{
	cr_assert_eq(parse("[default]\n# abcdefgh\x02ijk\r\n# 0123456789\r\x03\n"), 2);
	assert_diag(0, 2, "control character 0x02");
	assert_diag(1, 3, "carriage return (DOS line ending)");
}

Test(malformed, cr_line_endings, .init = setup, .fini = teardown)
{
	const char text[] = "[default]\r\nmode = enforce\r\n";

	cr_assert_eq(parse(text), 2);
	assert_diag(0, 1, "carriage return (DOS line ending)");
	assert_diag(1, 2, "carriage return (DOS line ending)");
	cr_assert_eq(pol.n, 0, "a line with CR must not be half-read");
}

/* --- parsing goes on after an error ------------------------------------- */
Test(continues, several_errors_all_reported, .init = setup, .fini = teardown)
{
	const char text[] =
		"mode = off\n"                  /* 1: outside a section */
		"[default]\n"
		"mode = maybe\n"                /* 3 */
		"exec = /usr relative\n"        /* 4 */
		"umask = 0022\n"
		"umask = 0027\n"                /* 6: duplicate */
		"\n"
		"[group staff]\n"
		"nice = 42\n"                   /* 9 */
		"limit.nofile = 10:5\n"         /* 10 */
		"[user alice]\n"
		"network = tcp-connect:0\n";    /* 12, last line */

	cr_assert_eq(parse(text), 7);
	cr_assert_eq(d.n, 7);
	assert_diag(0, 1, "key 'mode' outside a section (start with [default])");
	assert_diag(1, 3, "mode: expected enforce, complain or off, not 'maybe'");
	assert_diag(2, 4, "exec: not an absolute path: 'relative'");
	assert_diag(3, 6, "duplicate key 'umask' (first set at line 5)");
	assert_diag(4, 9, "nice: expected a nice value from -20 to 19, not '42'");
	assert_diag(5, 10, "limit.nofile: soft limit above hard limit in '10:5'");
	assert_diag(6, 12, "network: bad port '0' (1-65535, or LOW-HIGH)");
	/* The valid lines around the errors were kept. */
	cr_assert_eq(pol.n, 3);
	cr_assert_eq(pol.sections[0].n, 1);
	cr_assert_eq(pol.sections[0].entries[0].key, CG_KEY_UMASK);
	cr_assert_eq(pol.sections[0].entries[0].value.i, 0022);
}

Test(continues, errors_under_bad_header, .init = setup, .fini = teardown)
{
	const char text[] =
		"[default]\n"
		"mode = off\n"
		"[user -x]\n"                   /* 3 */
		"foo = 1\n"                     /* 4 */
		"umask = 999\n"                 /* 5 */
		"mode = complain\n"             /* valid, but in no section */
		"mode = enforce\n"              /* 7: duplicate within the bad section */
		"[user bob]\n"
		"nice = 1\n"
		"nice = 2\n";                   /* 10 */

	cr_assert_eq(parse(text), 5);
	assert_diag(0, 3, "invalid user name '-x'");
	assert_diag(1, 4, "unknown key 'foo'");
	assert_diag(2, 5, "umask: expected an octal umask like 0077, not '999'");
	assert_diag(3, 7, "duplicate key 'mode' (first set at line 6)");
	assert_diag(4, 10, "duplicate key 'nice' (first set at line 9)");
	/* Lines under the bad header did not land in [default]. */
	cr_assert_eq(pol.n, 2);
	cr_assert_eq(pol.sections[0].kind, CG_SEC_DEFAULT);
	cr_assert_eq(pol.sections[0].n, 1);
	cr_assert_eq(pol.sections[0].entries[0].value.mode, CG_MODE_OFF);
	cr_assert_str_eq(pol.sections[1].name, "bob");
}

Test(continues, two_bad_headers_in_a_row, .init = setup, .fini = teardown)
{
	cr_assert_eq(parse("[nope]\nmode = off\n[user]\nmode = off\n"), 2);
	assert_diag(0, 1, "unknown section '[nope]' (expected [default], [group NAME] or [user NAME])");
	assert_diag(1, 3, "[user] needs a name");
	cr_assert_eq(pol.n, 0);
}

Test(continues, second_buffer_counts_its_own_errors, .init = setup, .fini = teardown)
{
	const char a[] = "[default]\nmode = x\n", b[] = "[default]\nnice = 1\n";

	cr_assert_eq(cg_policy_parse(&pol, "a.conf", a, strlen(a), &d), 1);
	cr_assert_eq(cg_policy_parse(&pol, "b.conf", b, strlen(b), &d), 0);
	cr_assert_eq(d.errors, 1);
	cr_assert_eq(pol.n, 2);
	cr_assert_str_eq(pol.sections[0].file, "a.conf");
	cr_assert_str_eq(pol.sections[1].file, "b.conf");
	cr_assert_eq(pol.sections[1].entries[0].line, 2);
}

/* --- valid input -------------------------------------------------------- */
static const struct cg_entry *entry(size_t sec, enum cg_key key)
{
	cr_assert_lt(sec, pol.n);
	for (size_t i = 0; i < pol.sections[sec].n; i++)
		if (pol.sections[sec].entries[i].key == key)
			return &pol.sections[sec].entries[i];
	cr_assert_fail("section %zu has no key %d", sec, (int)key);
	return NULL;
}

static void parse_ok(const char *text)
{
	size_t n = parse(text);

	for (size_t i = 0; i < d.n; i++)
		cr_log_info("%s:%u: %s", d.v[i].file, d.v[i].line, d.v[i].msg);
	cr_assert_eq(n, 0);
	cr_assert_eq(d.n, 0);
}

static void assert_list(const struct cg_strlist *l, size_t n, const char *const *want)
{
	cr_assert_eq(l->n, n, "list has %zu entries, want %zu", l->n, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(l->v[i], want[i]);
}

Test(valid, empty_and_comments, .init = setup, .fini = teardown)
{
	parse_ok("");
	parse_ok("# only a comment\n; another\n\n   \t\n");
	cr_assert_eq(pol.n, 0);
}

Test(valid, sections_names_and_origins, .init = setup, .fini = teardown)
{
	parse_ok("[default]\n\n[group cron-users] # who may run jobs\n[user machine$]\n"
		 "[ user  _svc.backup-1 ]\n");
	cr_assert_eq(pol.n, 4);
	cr_assert_eq(pol.sections[0].kind, CG_SEC_DEFAULT);
	cr_assert_null(pol.sections[0].name);
	cr_assert_eq(pol.sections[1].kind, CG_SEC_GROUP);
	cr_assert_str_eq(pol.sections[1].name, "cron-users");
	cr_assert_eq(pol.sections[1].line, 3);
	cr_assert_eq(pol.sections[2].kind, CG_SEC_USER);
	cr_assert_str_eq(pol.sections[2].name, "machine$");
	cr_assert_str_eq(pol.sections[3].name, "_svc.backup-1");
	cr_assert_str_eq(pol.sections[3].file, FILE_NAME);
}

Test(valid, quoting_and_comments, .init = setup, .fini = teardown)
{
	static const char *const exec[] = { "/opt/my jobs", "/usr", "/srv/a#b" };
	static const char *const env[] = { "MSG=say \"hi\" \\o/", "A=x # not a comment", "EMPTY=" };

	parse_ok("[default]\n"
		 "exec = \"/opt/my jobs\" /usr /srv/a#b   # a comment\n"
		 "env.set = \"MSG=say \\\"hi\\\" \\\\o/\" \"A=x # not a comment\" EMPTY=\n");
	assert_list(&entry(0, CG_KEY_EXEC)->value.list, 3, exec);
	assert_list(&entry(0, CG_KEY_ENV_SET)->value.list, 3, env);
	cr_assert_eq(entry(0, CG_KEY_EXEC)->line, 2);
}

Test(valid, hash_without_blank_is_part_of_value, .init = setup, .fini = teardown)
{
	size_t n = parse("[default]\nmode = off#x\n");

	cr_assert_eq(n, 1);
	assert_diag(0, 2, "mode: expected enforce, complain or off, not 'off#x'");
}

Test(valid, tabs_and_no_blanks, .init = setup, .fini = teardown)
{
	parse_ok("[default]\n\tmode\t=\tcomplain\t\nallow=no\nexec+=/opt\n");
	cr_assert_eq(entry(0, CG_KEY_MODE)->value.mode, CG_MODE_COMPLAIN);
	cr_assert_eq(entry(0, CG_KEY_ALLOW)->value.b, false);
	cr_assert(entry(0, CG_KEY_EXEC)->append);
	cr_assert_not(entry(0, CG_KEY_MODE)->append);
}

Test(valid, last_line_without_newline, .init = setup, .fini = teardown)
{
	parse_ok("[default]\nnice = -20");
	cr_assert_eq(entry(0, CG_KEY_NICE)->value.i, -20);
}

Test(valid, none_values, .init = setup, .fini = teardown)
{
	parse_ok("[default]\nexec = none\nread = none\nnetwork = none\ncapabilities = none\n"
		 "apparmor = none\nselinux = none\nmanifest = none\nenv.deny = none\n"
		 "env.set = none\nscope = none\npath = none\n");
	cr_assert_eq(entry(0, CG_KEY_EXEC)->value.list.n, 0);
	cr_assert_eq(entry(0, CG_KEY_READ)->value.list.n, 0);
	cr_assert_eq(entry(0, CG_KEY_PATH)->value.list.n, 0);
	cr_assert_eq(entry(0, CG_KEY_ENV_DENY)->value.list.n, 0);
	cr_assert_eq(entry(0, CG_KEY_ENV_SET)->value.list.n, 0);
	const struct cg_network *net = &entry(0, CG_KEY_NETWORK)->value.net;

	cr_assert_not(net->any);
	cr_assert_not(net->udp);
	cr_assert_eq(net->connect.n + net->bind.n, 0);
	cr_assert_eq(entry(0, CG_KEY_CAPABILITIES)->value.caps, 0);
	cr_assert_null(entry(0, CG_KEY_APPARMOR)->value.str);
	cr_assert_null(entry(0, CG_KEY_SELINUX)->value.str);
	cr_assert_null(entry(0, CG_KEY_MANIFEST)->value.str);
	cr_assert_eq(entry(0, CG_KEY_SCOPE)->value.i, 0);
}

Test(valid, paths, .init = setup, .fini = teardown)
{
	static const char *const w[] = { "/", "~", "~/cron", "/var/tmp/cron-%u", "/a%%b", "/srv/...",
					 "/srv/.hidden" };
	static const char *const p[] = { "/usr/local/bin", "/usr/bin", "/bin", "/opt/bin" };

	parse_ok("[default]\nwrite = / ~ ~/cron /var/tmp/cron-%u /a%%b /srv/... /srv/.hidden\n"
		 "path = /usr/local/bin:/usr/bin::/bin /opt/bin\n"
		 "manifest = /etc/security/cronguard.d/%u.sha256\n");
	assert_list(&entry(0, CG_KEY_WRITE)->value.list, 7, w);
	assert_list(&entry(0, CG_KEY_PATH)->value.list, 4, p);
	cr_assert_str_eq(entry(0, CG_KEY_MANIFEST)->value.str, "/etc/security/cronguard.d/%u.sha256");
}

Test(valid, limits_and_suffixes, .init = setup, .fini = teardown)
{
	parse_ok("[default]\nlimit.nofile = 1024:4096\nlimit.as = 2G\nlimit.stack = 8m\n"
		 "limit.fsize = 1T\nlimit.data = 64K\nlimit.cpu = unlimited\nlimit.core = 0\n"
		 "limit.rss = infinity:infinity\nlimit.nproc = 100:unlimited\n"
		 "limit.memlock = 18446744073709551614\n");
	const struct cg_limit *l;

#define LIMIT(res) (&pol.sections[0].entries[res].value.limit)
	l = &entry(0, CG_KEY_LIMIT)->value.limit;
	cr_assert(l->set);
	cr_assert_eq(pol.sections[0].entries[0].resource, RLIMIT_NOFILE);
	cr_assert_eq(l->soft, 1024);
	cr_assert_eq(l->hard, 4096);
	cr_assert_eq(pol.sections[0].entries[1].resource, RLIMIT_AS);
	cr_assert_eq(LIMIT(1)->soft, 2ULL << 30);
	cr_assert_eq(LIMIT(1)->hard, 2ULL << 30);
	cr_assert_eq(LIMIT(2)->soft, 8ULL << 20);
	cr_assert_eq(LIMIT(3)->soft, 1ULL << 40);
	cr_assert_eq(LIMIT(4)->soft, 64ULL << 10);
	cr_assert_eq(LIMIT(5)->soft, RLIM_INFINITY);
	cr_assert_eq(LIMIT(5)->hard, RLIM_INFINITY);
	cr_assert_eq(LIMIT(6)->soft, 0);
	cr_assert(LIMIT(6)->set);
	cr_assert_eq(LIMIT(7)->hard, RLIM_INFINITY);
	cr_assert_eq(LIMIT(8)->soft, 100);
	cr_assert_eq(LIMIT(8)->hard, RLIM_INFINITY);
	cr_assert_eq(LIMIT(9)->soft, 18446744073709551614ULL);
	cr_assert_eq(pol.sections[0].entries[9].resource, RLIMIT_MEMLOCK);
#undef LIMIT
}

Test(valid, network_ports, .init = setup, .fini = teardown)
{
	parse_ok("[default]\nnetwork = tcp-connect:22,443,8000-8100 tcp-bind:1-1023 udp tcp-connect:65535\n"
		 "[group g]\nnetwork = any\n[group h]\nnetwork += udp\n");
	const struct cg_network *n = &entry(0, CG_KEY_NETWORK)->value.net;

	cr_assert_not(n->any);
	cr_assert(n->udp);
	cr_assert_eq(n->connect.n, 4);
	cr_assert_eq(n->connect.v[0].lo, 22);
	cr_assert_eq(n->connect.v[0].hi, 22);
	cr_assert_eq(n->connect.v[2].lo, 8000);
	cr_assert_eq(n->connect.v[2].hi, 8100);
	cr_assert_eq(n->connect.v[3].lo, 65535);
	cr_assert(cg_ports_contains(&n->connect, 443));
	cr_assert(cg_ports_contains(&n->connect, 8050));
	cr_assert_not(cg_ports_contains(&n->connect, 444));
	cr_assert_not(cg_ports_contains(&n->connect, 8101));
	cr_assert_eq(n->bind.n, 1);
	cr_assert(cg_ports_contains(&n->bind, 1));
	cr_assert(cg_ports_contains(&n->bind, 1023));
	cr_assert_not(cg_ports_contains(&n->bind, 1024));
	cr_assert(entry(1, CG_KEY_NETWORK)->value.net.any);
	cr_assert(entry(2, CG_KEY_NETWORK)->value.net.udp);
	cr_assert(entry(2, CG_KEY_NETWORK)->append);
}

Test(valid, capabilities, .init = setup, .fini = teardown)
{
	parse_ok("[user a]\ncapabilities = CAP_KILL chown cap_setuid Net_Bind_Service CAP_CHECKPOINT_RESTORE\n"
		 "[user b]\ncapabilities = all\n[user c]\ncapabilities += CAP_SYS_ADMIN\n");
	uint64_t want = (UINT64_C(1) << 5) | (UINT64_C(1) << 0) | (UINT64_C(1) << 7) |
			(UINT64_C(1) << 10) | (UINT64_C(1) << 40);

	cr_assert_eq(entry(0, CG_KEY_CAPABILITIES)->value.caps, want);
	cr_assert_eq(cg_cap_last(), 40);
	cr_assert_eq(entry(1, CG_KEY_CAPABILITIES)->value.caps, (UINT64_C(1) << 41) - 1);
	cr_assert_eq(entry(2, CG_KEY_CAPABILITIES)->value.caps, UINT64_C(1) << 21);
	cr_assert(entry(2, CG_KEY_CAPABILITIES)->append);
	cr_assert_eq(cg_cap_lookup("CAP_CHOWN"), 0);
	cr_assert_eq(cg_cap_lookup("dac_override"), 1);
	cr_assert_eq(cg_cap_lookup("CAP_NOPE"), -1);
	cr_assert_str_eq(cg_cap_name(21), "CAP_SYS_ADMIN");
	cr_assert_null(cg_cap_name(41));
}

Test(valid, bools_modes_numbers, .init = setup, .fini = teardown)
{
	parse_ok("[default]\nallow = true\nstrict = on\nno_new_privs = 1\nprivate_tmp = no\n"
		 "protect_system = false\nmail = off\nmode = off\numask = 0\nnice = +5\n"
		 "[user a]\nmode = complain\numask = 0777\nnice = 19\nmail = 0\n"
		 "[user b]\nmode = enforce\numask = 022\n");
	cr_assert(entry(0, CG_KEY_ALLOW)->value.b);
	cr_assert(entry(0, CG_KEY_STRICT)->value.b);
	cr_assert(entry(0, CG_KEY_NO_NEW_PRIVS)->value.b);
	cr_assert_not(entry(0, CG_KEY_PRIVATE_TMP)->value.b);
	cr_assert_not(entry(0, CG_KEY_PROTECT_SYSTEM)->value.b);
	cr_assert_not(entry(0, CG_KEY_MAIL)->value.b);
	cr_assert_eq(entry(0, CG_KEY_MODE)->value.mode, CG_MODE_OFF);
	cr_assert_eq(entry(0, CG_KEY_UMASK)->value.i, 0);
	cr_assert_eq(entry(0, CG_KEY_NICE)->value.i, 5);
	cr_assert_eq(entry(1, CG_KEY_MODE)->value.mode, CG_MODE_COMPLAIN);
	cr_assert_eq(entry(1, CG_KEY_UMASK)->value.i, 0777);
	cr_assert_eq(entry(1, CG_KEY_NICE)->value.i, 19);
	cr_assert_eq(entry(2, CG_KEY_MODE)->value.mode, CG_MODE_ENFORCE);
	cr_assert_eq(entry(2, CG_KEY_UMASK)->value.i, 022);
}

Test(valid, scope_env_names, .init = setup, .fini = teardown)
{
	static const char *const deny[] = { "LD_*", "PYTHON?ATH", "*_OPTIONS", "_X1" };

	parse_ok("[default]\nscope = signals abstract-unix\nenv.deny += LD_* PYTHON?ATH *_OPTIONS _X1\n"
		 "apparmor = cronguard-%u\nselinux = cron_%u_t\n[user a]\nscope = abstract-unix\n");
	cr_assert_eq(entry(0, CG_KEY_SCOPE)->value.i, CG_SCOPE_SIGNALS | CG_SCOPE_ABSTRACT_UNIX);
	cr_assert_eq(entry(1, CG_KEY_SCOPE)->value.i, CG_SCOPE_ABSTRACT_UNIX);
	assert_list(&entry(0, CG_KEY_ENV_DENY)->value.list, 4, deny);
	cr_assert_str_eq(entry(0, CG_KEY_APPARMOR)->value.str, "cronguard-%u");
	cr_assert_str_eq(entry(0, CG_KEY_SELINUX)->value.str, "cron_%u_t");
}

Test(valid, same_key_in_different_sections, .init = setup, .fini = teardown)
{
	parse_ok("[default]\nmode = off\nlimit.nofile = 1\nlimit.nproc = 2\n[default]\nmode = enforce\n"
		 "[user a]\nmode = complain\n");
	cr_assert_eq(pol.n, 3);
}

Test(valid, every_key_has_a_name_that_parses, .init = setup, .fini = teardown)
{
	for (int k = 0; k < CG_KEY_COUNT; k++) {
		const struct cg_key_info *ki = cg_key_info((enum cg_key)k);
		int res = -1;

		cr_assert_not_null(ki);
		if (k == CG_KEY_LIMIT) {
			cr_assert_eq(cg_key_lookup("limit.nofile", &res), CG_KEY_LIMIT);
			cr_assert_eq(res, RLIMIT_NOFILE);
			continue;
		}
		cr_assert_eq(cg_key_lookup(ki->name, &res), k, "key %s", ki->name);
	}
	cr_assert_eq(cg_key_lookup("limit", NULL), -1);
	cr_assert_null(cg_key_info(CG_KEY_COUNT));
	for (int r = 0; r < RLIMIT_NLIMITS; r++)
		if (cg_limit_name(r))
			cr_assert_eq(cg_limit_lookup(cg_limit_name(r)), r);
}
