/* cmd_check.c - `cronguard check [-f FILE] [--user USER]...`: is the policy
 * valid, and does it resolve for these users? */
#include "apply.h"
#include "commands.h"
#include "tool_common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard check [-f FILE] [-u USER]...\n\n"
		"Validates the policy (FILE, default /etc/security/cronguard.conf, and its\n"
		"drop-in directory) and prints every error as FILE:LINE: message.\n"
		"With --user, also resolves that user's plan.\n\n"
		"  -f, --file FILE   policy file to check\n"
		"  -u, --user USER   resolve USER's plan too (may repeat)\n"
		"  -q, --quiet       print errors only\n"
		"  -h, --help        this text\n\n"
		"Exit status: 0 valid, 2 invalid or usage error.\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	char **users = calloc((size_t)argc, sizeof(*users));
	size_t nusers = 0;
	bool quiet = false;
	int c, status = CG_EXIT_OK;
	struct cg_policy pol;

	if (!users)
		return CG_EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:u:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'u': users[nusers++] = optarg; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); free(users); return CG_EXIT_OK;
		default: usage(stderr); free(users); return CG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cronguard check: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		free(users);
		return CG_EXIT_USAGE;
	}
	if (tool_load_policy(file, &pol) < 0) {
		free(users);
		return CG_EXIT_USAGE;
	}
	if (!quiet)
		printf("%s: valid (%zu file%s, %zu section%s)\n",
		       file ? file : CG_DEFAULT_CONFFILE, pol.nfiles, pol.nfiles == 1 ? "" : "s",
		       pol.n, pol.n == 1 ? "" : "s");
	for (size_t i = 0; i < nusers; i++) {
		struct cg_plan plan;

		if (tool_resolve_user(&pol, users[i], &plan) < 0) {
			status = CG_EXIT_USAGE;
			continue;
		}
		char why[512];

		/* What the module would refuse at job start is an error here. */
		if (cg_plan_exec_write_overlap(&plan, why, sizeof(why))) {
			fprintf(stderr, "user %s: error: %s (the module denies these jobs)\n",
				users[i], why);
			status = CG_EXIT_USAGE;
		} else if (!quiet) {
			printf("user %s: resolves (mode %s, jobs %s)\n", users[i],
			       cg_mode_name(plan.mode), plan.allow ? "allowed" : "denied");
		}
		cg_plan_free(&plan);
	}
	cg_policy_free(&pol);
	free(users);
	return status;
}
