/* cmd_lint.c - `cronguard lint [--system] FILE...`: would Debian's cron load
 * these crontabs, and what in them is probably not what the author meant?
 *
 * The verdict comes from the same reader the PAM module's gate uses
 * (crontab.c), so lint and the gate can never disagree about a file.  On
 * top of the reader's own warnings (reversed ranges, steps larger than the
 * span, junk cron skips, both day fields restricted, bare '%', empty
 * commands) lint scans the raw bytes for control characters and CRs, and
 * checks a cron.d file's name the way cron does.
 *
 * cronie differs (checked against cronie 1.7.2's source; lint reports
 * Debian's behaviour):
 *  - a bad line: cronie skips it and loads the rest of the file; a missing
 *    final newline is only logged.  Debian ignores the whole file for both.
 *  - "NAME=": an empty value for cronie; Debian takes it for a job line and
 *    ignores the file.
 *  - junk after a list ("5;rm"): an error for cronie (line skipped), silently
 *    ignored by Debian.  "N~M" random ranges: cronie only.
 *  - /etc/cron.d names: cronie reads everything except names starting with
 *    '.' or '#', ending in '~', .rpmsave, .rpmorig, .rpmnew -- so a
 *    .dpkg-old file runs under cronie; Debian reads [A-Za-z0-9_-]+ only.
 *  - reversed ranges select nothing in both.
 */
#include "commands.h"
#include "tool_common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "crontab.h"
#include "safe_file.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard lint [--system] [--no-users] FILE...\n\n"
		"Reads each FILE exactly as Debian's cron does and says whether cron would\n"
		"load it, with FILE:LINE errors (the reason cron ignores the whole file) and\n"
		"warnings (lines cron accepts but that probably do not do what was meant).\n\n"
		"  -s, --system    system crontab format (/etc/crontab, /etc/cron.d): the sixth\n"
		"                  field is a user.  Implied for /etc/crontab and cron.d files.\n"
		"  -U, --user      user crontab format even for those paths\n"
		"  -n, --no-users  do not look up the users named in system crontabs\n"
		"  -q, --quiet     print only errors and the verdict of ignored files\n"
		"  -h, --help      this text\n\n"
		"Exit status: 0 cron loads every file, 1 cron ignores at least one,\n"
		"2 a file could not be read or usage error.\n");
}

static bool nss_user_exists(void *ctx, const char *user)
{
	(void)ctx;
	return getpwnam(user) != NULL;
}

static bool in_cron_d(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return false;
	return (slash - path >= 6 && !strncmp(slash - 6, "cron.d", 6) &&
		(slash - path == 6 || slash[-7] == '/'));
}

static bool looks_system(const char *path)
{
	size_t n = strlen(path);

	if (in_cron_d(path))
		return true;
	return n >= 12 && !strcmp(path + n - 12, "/etc/crontab");
}

/* Bytes cron passes on unchanged but a reader of the file may not see:
 * control characters (terminal escapes can hide text), CR (a CRLF file's
 * jobs end in '\r'; its blank lines make cron ignore it), DEL. */
static unsigned scan_bytes(const char *file, const char *text, size_t len, struct cg_diags *d)
{
	unsigned line = 1, found = 0;
	size_t bol = 0;
	bool cr_done = false, ctl_done = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			line++;
			bol = i + 1;
			ctl_done = false;
			continue;
		}
		if (c == '\r' && !cr_done) {
			cg_diag_warn(d, file, line, "carriage return (CRLF line end?): cron keeps it "
				     "in values and commands; a blank CRLF line makes cron ignore the file");
			cr_done = true;
			found++;
		} else if (c != '\r' && c != '\t' && (c < 0x20 || c == 0x7f) && !ctl_done) {
			cg_diag_warn(d, file, line, "control character 0x%02x at column %zu: it may "
				     "hide text on a terminal", c, i - bol + 1);
			ctl_done = true;
			found++;
		}
	}
	return found;
}

static int lint_one(const char *path, bool system, bool check_users, bool quiet)
{
	struct cg_arena a = { 0 };
	struct cg_diags d = { 0 };
	struct cg_crontab ct;
	struct stat st;
	char *text;
	size_t len;
	int rc = CG_EXIT_OK;
	bool name_ignored = false;

	if (cg_read_file_at(&a, AT_FDCWD, path, false, &text, &len, &st) < 0) {
		fprintf(stderr, "%s: cannot read: %s%s\n", path, strerror(errno),
			errno == ELOOP ? " (a symbolic link; lint the target)" : "");
		cg_arena_free(&a);
		return CG_EXIT_USAGE;
	}
	if (system && in_cron_d(path) && !cg_cron_d_name_ok(strrchr(path, '/') + 1)) {
		cg_diag_error(&d, path, 0, "cron ignores this file: cron.d names must match "
			      "^[A-Za-z0-9_-]+$ (no dots, so no .dpkg-old, .bak, .sh)");
		name_ignored = true;
	}
	cg_crontab_parse(&ct, path, system ? CG_CRONTAB_SYSTEM : CG_CRONTAB_USER, text, len,
			 check_users ? nss_user_exists : NULL, NULL, &d);
	scan_bytes(path, text, len, &d);
	for (size_t i = 0; i < d.n; i++) {
		char buf[700];

		if (quiet && d.v[i].warning)
			continue;
		cg_diag_format(&d.v[i], buf, sizeof(buf));
		printf("%s\n", buf);
	}
	size_t jobs = 0, vars = 0;

	for (size_t i = 0; i < ct.n; i++)
		if (ct.entries[i].kind == CG_CRON_JOB)
			jobs++;
		else
			vars++;
	if (!ct.loads || name_ignored) {
		printf("%s: cron IGNORES this file\n", path);
		rc = CG_EXIT_FINDINGS;
	} else if (!quiet) {
		printf("%s: cron loads this file (%zu job%s, %zu variable%s, %zu warning%s)\n",
		       path, jobs, jobs == 1 ? "" : "s", vars, vars == 1 ? "" : "s",
		       d.n - d.errors, d.n - d.errors == 1 ? "" : "s");
	}
	cg_crontab_free(&ct);
	cg_diags_free(&d);
	cg_arena_free(&a);
	return rc;
}

int cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "system", no_argument, NULL, 's' },
		{ "user", no_argument, NULL, 'U' },
		{ "no-users", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int force = 0, c, status = CG_EXIT_OK;
	bool check_users = true, quiet = false;

	optind = 1;
	while ((c = getopt_long(argc, argv, "sUnqh", opts, NULL)) != -1) {
		switch (c) {
		case 's': force = 1; break;
		case 'U': force = -1; break;
		case 'n': check_users = false; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return CG_EXIT_OK;
		default: usage(stderr); return CG_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "cronguard lint: no FILE given\n");
		usage(stderr);
		return CG_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		bool system = force > 0 || (force == 0 && looks_system(argv[i]));
		int rc = lint_one(argv[i], system, check_users, quiet);

		if (rc > status)
			status = rc;
	}
	return status;
}
