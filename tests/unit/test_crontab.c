/* test_crontab.c - the crontab reader against Debian cron's grammar.
 *
 * The verdicts in the table were checked against Debian's own
 * `crontab -n` (cron 3.0pl1-162) when written; tests/lint/test_lint_vs_crontab.sh
 * re-runs that comparison on every build. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crontab.h"

static struct cg_crontab ct;
static struct cg_diags d;

static void fini(void)
{
	cg_crontab_free(&ct);
	cg_diags_free(&d);
}

TestSuite(crontab, .fini = fini);

static int parse_kind(const char *text, size_t len, enum cg_crontab_kind kind)
{
	cg_crontab_free(&ct);
	cg_diags_free(&d);
	memset(&d, 0, sizeof(d));
	return cg_crontab_parse(&ct, "tab", kind, text, len, NULL, NULL, &d);
}

static int parse(const char *text)
{
	return parse_kind(text, strlen(text), CG_CRONTAB_USER);
}

static const struct cg_cron_entry *job(size_t i)
{
	size_t k = 0;

	for (size_t j = 0; j < ct.n; j++)
		if (ct.entries[j].kind == CG_CRON_JOB && k++ == i)
			return &ct.entries[j];
	cr_assert_fail("no job %zu", i);
	return NULL;
}

static bool has_diag(bool warning, unsigned line, const char *needle)
{
	for (size_t i = 0; i < d.n; i++)
		if (d.v[i].warning == warning && d.v[i].line == line && strstr(d.v[i].msg, needle))
			return true;
	return false;
}

struct verdict { const char *text; size_t len; int loads; };
#define V(s, l) { s, sizeof(s) - 1, l }

/* Each verdict was compared with `crontab -n` on Debian 12. */
static const struct verdict verdicts[] = {
	V("A=\n", 0), V("A=\"\"\n", 1), V("A= \n", 0), V("=x\n", 1), V("A B=c\n", 0),
	V("'A B'=c\n", 1), V("A=\"x\" y\n", 0), V("A=\"x\n", 0), V("* * * * * cmd", 0),
	V("* * * * * cmd\n# c", 1), V("* * * * * cmd\n  ", 1), V("5/10 * * * * x\n", 0),
	V("*/0 * * * * x\n", 0), V("60 * * * * x\n", 0), V("0 24 * * * x\n", 0),
	V("0 0 0 * * x\n", 0), V("0 0 32 * * x\n", 0), V("0 0 * 13 * x\n", 0),
	V("0 0 * * 8 x\n", 0), V("0 0 * * 7 x\n", 1), V("0 0 * jan,feb * x\n", 1),
	V("0 0 * january * x\n", 0), V("0 0 * * sun-sat x\n", 1), V("0 0 * * SUN x\n", 1),
	V("4294967301 * * * * x\n", 1), V("@Daily x\n", 0), V("@reboot\n", 1),
	V("* * * * *\n", 1), V("* * * *\n", 0), V("* * * * * * x\n", 0),
	V("0 0 * * * \\* x\n", 1), V("1,2, * * * * x\n", 0), V("1-2-3 * * * * x\n", 1),
	V("*-5 * * * * x\n", 1), V("5x * * * * x\n", 0), V("\r\n", 0),
	V("* * * * * x\r\n", 1), V("A=b\r\n", 1), V("\t# c\n\t\n* * * * * x\n", 1),
	V("@hourly x\n@annually y\n@midnight z\n@weekly w\n@monthly v\n@yearly u\n", 1),
	V("@foo x\n", 0), V("1-60 * * * * x\n", 0), V("*/60 * * * * x\n", 1),
	V("0-59/60 * * * * x\n", 1), V("\x01 * * * * x\n", 0), V("* * * * * x\x01y\n", 1),
	V("5\xff * * * * x\n", 0), V("5 \xff * * * x\n", 0), V("* * * * * a\0b\n", 0),
	V("A='\n", 0), V("\"A\"=b\n", 1), V("\"A=b\"\n", 0), V("A='b'c\n", 0),
	V("A=b c \n", 1), V("MAILTO=\"\"\n", 1), V("A =b\n", 1), V("A= b\n", 1),
	V("A\t=\tb\n", 1), V("", 1), V("\n\n# only comments\n", 1), V("# no newline", 1),
};

Test(crontab, verdicts_match_debian_crontab_n)
{
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		int rc = parse_kind(verdicts[i].text, verdicts[i].len, CG_CRONTAB_USER);

		cr_expect_eq(ct.loads, verdicts[i].loads, "case %zu %.*s: loads %d", i,
			     (int)verdicts[i].len, verdicts[i].text, ct.loads);
		cr_expect_eq(rc, verdicts[i].loads ? 0 : -1, "case %zu rc", i);
		if (!verdicts[i].loads)
			cr_expect(d.errors > 0, "case %zu has an error diagnostic", i);
	}
}

Test(crontab, env_quotes_like_load_env)
{
	cr_assert_eq(parse("A=b\n B = \"c d\" \nC='x'\nD=\"'y'\"\nE=b c  \n'F G'=h\nI=\"\"\n"), 0);
	cr_assert_eq(ct.n, 7);
	const char *want[][2] = { {"A", "b"}, {"B", "c d"}, {"C", "x"}, {"D", "y"},
				  {"E", "b c"}, {"F G", "h"}, {"I", ""} };
	for (size_t i = 0; i < 7; i++) {
		cr_expect_eq(ct.entries[i].kind, CG_CRON_ENV);
		cr_expect_str_eq(ct.entries[i].name, want[i][0]);
		cr_expect_str_eq(ct.entries[i].value, want[i][1]);
		cr_expect_eq(ct.entries[i].line, i + 1);
	}
}

Test(crontab, env_and_jobs_keep_file_order)
{
	cr_assert_eq(parse("PATH=/a\n* * * * * one\nPATH=/b\n* * * * * two\n"), 0);
	cr_assert_eq(ct.n, 4);
	cr_expect_eq(ct.entries[0].kind, CG_CRON_ENV);
	cr_expect_eq(ct.entries[1].kind, CG_CRON_JOB);
	cr_expect_str_eq(ct.entries[2].value, "/b");
	cr_expect_str_eq(ct.entries[3].command, "two");
	cr_expect_eq(ct.entries[3].line, 4);
}

Test(crontab, fields_ranges_steps_names)
{
	cr_assert_eq(parse("*/15 1-5/2 1,15,31 jan-Mar,DEC mon-fri x\n"), 0);
	const struct cg_cron_entry *e = job(0);
	cr_expect_eq(e->when.minute, (1ull << 0) | (1ull << 15) | (1ull << 30) | (1ull << 45));
	cr_expect_eq(e->when.hour, (1u << 1) | (1u << 3) | (1u << 5));
	cr_expect_eq(e->when.dom, (1u << 1) | (1u << 15) | (1u << 31));
	cr_expect_eq(e->when.month, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 12));
	cr_expect_eq(e->when.dow, 0x3e);
	cr_expect(!e->when.dom_star);
	cr_expect(!e->when.dow_star);
	cr_expect(has_diag(true, 1, "both restricted"));
}

Test(crontab, sunday_is_0_and_7)
{
	cr_assert_eq(parse("0 0 * * 7 a\n0 0 * * 0 b\n0 0 * * Sun c\n0 0 * * 5-7 d\n"), 0);
	for (size_t i = 0; i < 3; i++)
		cr_expect_eq(job(i)->when.dow, 1, "job %zu", i);
	cr_expect_eq(job(3)->when.dow, (1 << 5) | (1 << 6) | 1);
}

Test(crontab, star_flags_follow_first_char)
{
	cr_assert_eq(parse("0 0 */2 * 1 x\n"), 0);
	cr_expect(job(0)->when.dom_star);
	cr_expect(!job(0)->when.dow_star);
	cr_expect(!has_diag(true, 1, "both restricted"));
}

Test(crontab, specials)
{
	cr_assert_eq(parse("@reboot r\n@yearly y\n@annually a\n@monthly m\n@weekly w\n"
			   "@daily d\n@midnight n\n@hourly h\n"), 0);
	cr_expect(job(0)->when.reboot);
	cr_expect_str_eq(job(0)->when.special, "@reboot");
	cr_expect_eq(job(0)->when.minute, 0);
	cr_expect_eq(job(1)->when.month, 1u << 1);
	cr_expect_eq(job(1)->when.dom, 1u << 1);
	cr_expect(job(1)->when.dow_star);
	cr_expect_eq(job(2)->when.month, 1u << 1);
	cr_expect_eq(job(3)->when.month, 0x1ffe);
	cr_expect_eq(job(4)->when.dow, 1);
	cr_expect(job(4)->when.dom_star);
	cr_expect_eq(job(5)->when.hour, 1);
	cr_expect_eq(job(7)->when.hour, 0xffffff);
	cr_expect_eq(job(7)->when.minute, 1);
	cr_expect_str_eq(job(7)->command, "h");
	cr_expect_str_eq(job(6)->when.special, "@midnight");
}

Test(crontab, percent_handling)
{
	cr_assert_eq(parse("* * * * * date +\\%s\n"
			   "* * * * * mail x%hello%world\n"
			   "* * * * * cat%a\\%b\\c\n"
			   "* * * * * echo a\\\\%in\n"
			   "* * * * * echo bare%\n"), 0);
	cr_expect_str_eq(job(0)->command, "date +%s");
	cr_expect_null(job(0)->input);
	cr_expect_str_eq(job(0)->raw, "date +\\%s");
	cr_expect_str_eq(job(1)->command, "mail x");
	cr_expect_str_eq(job(1)->input, "hello\nworld\n");
	cr_expect_str_eq(job(2)->command, "cat");
	cr_expect_str_eq(job(2)->input, "a%b\\c\n");
	/* "\\" collapses to one backslash and the % after it is bare. */
	cr_expect_str_eq(job(3)->command, "echo a\\");
	cr_expect_str_eq(job(3)->input, "in\n");
	cr_expect_str_eq(job(4)->command, "echo bare");
	cr_expect_str_eq(job(4)->input, "");
	cr_expect(has_diag(true, 2, "unescaped %"));
	cr_expect(!has_diag(true, 1, "unescaped %"));
}

Test(crontab, system_user_field)
{
	const char *t = "SHELL=/bin/sh\n17 * * * * root    cd / && run-parts --report /etc/cron.hourly\n"
			"@reboot  www-data\t/x\n";
	cr_assert_eq(parse_kind(t, strlen(t), CG_CRONTAB_SYSTEM), 0);
	cr_expect_str_eq(job(0)->user, "root");
	/* cron keeps the blanks after the one that ends the user field. */
	cr_expect_str_eq(job(0)->command, "   cd / && run-parts --report /etc/cron.hourly");
	cr_expect_str_eq(job(1)->user, "www-data");
	cr_expect_str_eq(job(1)->command, "/x");
	cr_expect_eq(job(1)->line, 3);
}

static bool only_root(void *ctx, const char *user)
{
	(*(int *)ctx)++;
	return !strcmp(user, "root");
}

Test(crontab, system_unknown_user_rejects_file)
{
	const char *t = "* * * * * root a\n* * * * * nosuchuser b\n";
	int calls = 0;

	cg_crontab_free(&ct);
	cr_assert_eq(cg_crontab_parse(&ct, "sys", CG_CRONTAB_SYSTEM, t, strlen(t), only_root, &calls, &d), -1);
	cr_expect(!ct.loads);
	cr_expect_eq(calls, 2);
	cr_expect(has_diag(false, 2, "bad username"));
	/* Without a checker, users are not looked up. */
	cr_expect_eq(parse_kind(t, strlen(t), CG_CRONTAB_SYSTEM), 0);
}

Test(crontab, system_line_without_user_is_an_error)
{
	const char *t = "* * * * * root\n* * * * * root b\n";

	/* The user field runs across the newline: "root\n*" is no user. */
	cr_expect_eq(parse_kind(t, strlen(t), CG_CRONTAB_SYSTEM), -1);
	cr_expect(has_diag(false, 1, "bad username"));
}

Test(crontab, user_crontab_sixth_star_rejected)
{
	cr_expect_eq(parse("* * * * * * x\n"), -1);
	cr_expect(has_diag(false, 1, "bad command"));
}

Test(crontab, one_bad_line_rejects_file_with_line)
{
	cr_expect_eq(parse("# header\n* * * * * good\n\n61 * * * * bad\n* * * * * later\n"), -1);
	cr_expect(!ct.loads);
	cr_expect(has_diag(false, 4, "bad minute"));
	const struct cg_diag *e = cg_diag_first_error(&d);
	char buf[256];

	cg_diag_format(e, buf, sizeof(buf));
	cr_expect(strstr(buf, "tab:4: bad minute") == buf, "%s", buf);
}

Test(crontab, every_field_error_named)
{
	const char *cases[][2] = {
		{"x * * * * a\n", "bad minute"}, {"* 25 * * * a\n", "bad hour"},
		{"* * 0 * * a\n", "bad day-of-month"}, {"* * * 0 * a\n", "bad month"},
		{"* * * * 9 a\n", "bad day-of-week"}, {"@often a\n", "bad time specifier"},
	};
	for (size_t i = 0; i < 6; i++) {
		cr_expect_eq(parse(cases[i][0]), -1);
		cr_expect(has_diag(false, 1, cases[i][1]), "%s", cases[i][0]);
	}
}

Test(crontab, missing_final_newline)
{
	cr_expect_eq(parse("* * * * * a\nB=c"), -1);
	cr_expect(has_diag(false, 2, "missing newline"));
	cr_expect_eq(parse("* * * * * a\n# comment without newline"), 0);
}

Test(crontab, command_length_limit)
{
	char buf[1100];

	memcpy(buf, "* * * * * ", 10);
	memset(buf + 10, 'a', 998);
	strcpy(buf + 1008, "\n");
	cr_expect_eq(parse(buf), 0);
	memset(buf + 10, 'a', 999);
	strcpy(buf + 1009, "\n");
	cr_expect_eq(parse(buf), -1);
	cr_expect(has_diag(false, 1, "command too long"));
}

/* The daemon stops at LineNumber 10005 (1 + 10004 newlines, counting the
 * 3 header lines crontab(1) writes into the spool file).  crontab(1) itself
 * reads its temporary copy with that header, so for the user's own file its
 * limit is 10000 lines: the same rule on the installed file. */
Test(crontab, ten_thousand_line_limit)
{
	size_t n = 10010 * 12 + 1;
	char *buf = malloc(n);

	cr_assert_not_null(buf);
	buf[0] = '\0';
	char *p = buf;
	for (int i = 0; i < 10003; i++)
		p += sprintf(p, "* * * * * a\n");
	cr_expect_eq(parse(buf), 0, "10003 job lines load");
	p += sprintf(p, "* * * * * a\n");
	cr_expect_eq(parse(buf), -1, "10004 job lines do not");
	free(buf);
}

Test(crontab, junk_and_reversed_warnings)
{
	cr_assert_eq(parse("5;rm 9-3 */40 * mon-sun x\n"), 0);
	cr_expect_eq(job(0)->when.minute, 1ull << 5);
	cr_expect(has_diag(true, 1, "silently ignores \";rm\""));
	cr_expect(has_diag(true, 1, "range 9-3 is reversed"));
	cr_expect(has_diag(true, 1, "step /40"));
	cr_expect(has_diag(true, 1, "never runs"));
}

Test(crontab, huge_numbers_wrap_like_atoi)
{
	cr_assert_eq(parse("4294967301 * * * * x\n"), 0);
	cr_expect_eq(job(0)->when.minute, 1ull << 5);
}

Test(crontab, read_file_and_errno)
{
	char path[] = "/tmp/cg_crontab_XXXXXX";
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "A=1\n* * * * * x\n", 16), 16);
	close(fd);
	cg_crontab_free(&ct);
	cr_expect_eq(cg_crontab_read(&ct, path, CG_CRONTAB_USER, NULL, NULL, &d), 0);
	cr_expect_eq(ct.n, 2);
	cr_expect_str_eq(ct.file, path);
	cg_crontab_free(&ct);
	unlink(path);
	cr_expect_eq(cg_crontab_read(&ct, path, CG_CRONTAB_USER, NULL, NULL, &d), -2);
	cr_expect_eq(errno, ENOENT);
}

Test(crontab, crlf_file)
{
	cr_expect_eq(parse("A=b\r\n* * * * * x\r\n"), 0);
	cr_expect_str_eq(ct.entries[0].value, "b");
	cr_expect_str_eq(job(0)->command, "x\r");
	cr_expect_eq(parse("* * * * * x\r\n\r\n"), -1);
}

Test(crontab, nul_ends_command)
{
	static const char t[] = "* * * * * a\0* * * * * b\n";

	cr_expect_eq(parse_kind(t, sizeof(t) - 1, CG_CRONTAB_USER), 0);
	cr_expect_str_eq(job(0)->command, "a");
	cr_expect_str_eq(job(1)->command, "b");
}

Test(crontab, no_diags_sink_is_fine)
{
	cg_crontab_free(&ct);
	cr_expect_eq(cg_crontab_parse(&ct, "x", CG_CRONTAB_USER, "61 * * * * x\n", 13, NULL, NULL, NULL), -1);
	cr_expect(!ct.loads);
}

Test(crontab, long_env_line_is_cut_at_998_bytes)
{
	char buf[1300];

	memcpy(buf, "A=", 2);
	memset(buf + 2, 'v', 1200);
	strcpy(buf + 1202, "\n* * * * * x\n");
	cr_assert_eq(parse(buf), 0);
	cr_expect_eq(strlen(ct.entries[0].value), 996, "got %zu", strlen(ct.entries[0].value));
	cr_expect_eq(job(0)->line, 2);
}

Test(crontab, spool_header_line_numbers)
{
	cr_assert_eq(parse("# DO NOT EDIT THIS FILE - edit the master and reinstall.\n"
			   "# (/tmp/x installed on Sat Nov 28 04:00:00 2026)\n"
			   "# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n"
			   "LD_PRELOAD=/tmp/x.so\n@reboot /bin/true\n"), 0);
	cr_expect_eq(ct.entries[0].line, 4);
	cr_expect_str_eq(ct.entries[0].name, "LD_PRELOAD");
	cr_expect_eq(job(0)->line, 5);
}

Test(crontab, system_percent_and_specials_with_user)
{
	const char *t = "@weekly  root\tmail -s x root%body\n";

	cr_assert_eq(parse_kind(t, strlen(t), CG_CRONTAB_SYSTEM), 0);
	cr_expect_str_eq(job(0)->user, "root");
	cr_expect_str_eq(job(0)->command, "mail -s x root");
	cr_expect_str_eq(job(0)->input, "body\n");
	cr_expect_str_eq(job(0)->when.special, "@weekly");
}

Test(crontab, errors_after_the_first_are_still_reported)
{
	cr_expect_eq(parse("61 * * * * a\n* 25 * * * b\n* * * * * c\n"), -1);
	cr_expect(has_diag(false, 1, "bad minute"));
	cr_expect(has_diag(false, 2, "bad hour"));
	cr_expect_eq(d.errors, 2);
}
