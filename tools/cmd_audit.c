/* cmd_audit.c - `cronguard audit`: every weakness an attacker uses in a
 * host's cron setup, read the way Debian's cron reads it.  The checks live
 * in tools/audit_*.c, one family per file; this file parses the options,
 * runs them and prints the report. */
#include "commands.h"
#include "tool_common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard audit [--root DIR] [--policy FILE] [--format text|json|sarif] [--cronie]\n\n"
		"Scans /etc/crontab, /etc/cron.d, /etc/cron.{hourly,daily,weekly,monthly,yearly},\n"
		"/var/spool/cron/crontabs, /etc/cron.allow, /etc/cron.deny, the cron PAM stack and\n"
		"the audit rules, and reports each finding with a stable ID (CG-AUD-NNN), severity,\n"
		"FILE:LINE, evidence, a fix and the CIS/STIG item where one exists.\n\n"
		"  -r, --root DIR      audit the tree at DIR (users and groups from DIR/etc/passwd\n"
		"                      and DIR/etc/group); paths in the report are host paths\n"
		"  -p, --policy FILE   also report jobs whose programs lie outside their user's\n"
		"                      exec directories under this policy\n"
		"  -f, --format FMT    text (default), json or sarif (SARIF 2.1.0)\n"
		"  -c, --cronie        the host runs cronie: report uid-0 system jobs (cronie skips\n"
		"                      PAM for them) and check /etc/pam.d/crond or cronie\n"
		"  -h, --help          this text\n\n"
		"Exit status: 0 no findings, 1 findings, 2 error.\n");
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "cronie", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = NULL, *policy = NULL;
	enum audit_format fmt = FMT_TEXT;
	bool cronie = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:p:f:ch", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'p': policy = optarg; break;
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else if (!strcmp(optarg, "sarif"))
				fmt = FMT_SARIF;
			else {
				fprintf(stderr, "cronguard audit: unknown format '%s'\n", optarg);
				return CG_EXIT_USAGE;
			}
			break;
		case 'c': cronie = true; break;
		case 'h': usage(stdout); return CG_EXIT_OK;
		default: usage(stderr); return CG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cronguard audit: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return CG_EXIT_USAGE;
	}
	if (root) {
		struct stat st;

		if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "cronguard audit: --root %s: not a directory\n", root);
			return CG_EXIT_USAGE;
		}
	}
	struct cg_policy pol;
	bool have_pol = false;

	if (policy) {
		if (tool_load_policy(policy, &pol) < 0)
			return CG_EXIT_USAGE;
		have_pol = true;
	}
	struct audit a;

	if (audit_init(&a, root) < 0) {
		fprintf(stderr, "cronguard audit: cannot read the users and groups%s%s\n",
			root ? " of " : "", root ? root : "");
		audit_fini(&a);
		if (have_pol)
			cg_policy_free(&pol);
		return CG_EXIT_USAGE;
	}
	a.cronie = cronie;
	a.spool = cronie ? "/var/spool/cron" : "/var/spool/cron/crontabs";
	a.policy = have_pol ? &pol : NULL;
	audit_files(&a);
	audit_allow(&a);        /* before the jobs: spool checks use allow/deny */
	audit_jobs(&a);
	audit_pam(&a);
	audit_report(&a, fmt, stdout);

	int rc = a.errors ? CG_EXIT_USAGE : a.nf ? CG_EXIT_FINDINGS : CG_EXIT_OK;

	if (fflush(stdout) != 0)
		rc = CG_EXIT_USAGE;
	audit_fini(&a);
	if (have_pol)
		cg_policy_free(&pol);
	return rc;
}
