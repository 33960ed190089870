/* cronguard.c - the administrator's command: dispatch to one subcommand. */
#include "commands.h"
#include "config.h"

#include <stdio.h>
#include <string.h>

struct command {
	const char *name;       /* "gen apparmor" has a two-word name */
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check, "validate the policy (and resolve a user)" },
	{ "explain", cmd_explain, "print a user's resolved plan and exposure table" },
	{ "run", cmd_run, "run a command under a user's plan, as the module would" },
	{ "audit", cmd_audit, "audit this host's cron setup for weaknesses" },
	{ "lint", cmd_lint, "check crontab files the way cron reads them" },
	{ "manifest", cmd_manifest, "create or verify script checksum manifests" },
	{ "gen apparmor", cmd_gen_apparmor, "generate AppArmor profiles from the policy" },
	{ "gen selinux", cmd_gen_selinux, "generate SELinux policy modules from the policy" },
	{ "gen audit-rules", cmd_gen_audit_rules, "generate auditd rules watching cron" },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: cronguard COMMAND [OPTIONS]\n\n"
		"Least-privilege cron: check, explain and enforce /etc/security/cronguard.conf.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-17s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'cronguard COMMAND --help' for a command's options.\n"
		"Exit status: 0 good, 1 findings or denial, 2 usage or configuration error.\n"
		"See cronguard(8) and cronguard.conf(5).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CG_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("cronguard %s\n", CG_VERSION);
		return CG_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *name = commands[i].name, *sp = strchr(name, ' ');

		if (!sp && strcmp(argv[1], name) == 0)
			return commands[i].run(argc - 1, argv + 1);
		if (sp && argc >= 3 && strncmp(argv[1], name, (size_t)(sp - name)) == 0 &&
		    argv[1][sp - name] == '\0' && strcmp(argv[2], sp + 1) == 0)
			return commands[i].run(argc - 2, argv + 2);
	}
	if (strcmp(argv[1], "gen") == 0)
		fprintf(stderr, "cronguard: gen needs a target: apparmor, selinux or audit-rules\n");
	else
		fprintf(stderr, "cronguard: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CG_EXIT_USAGE;
}
