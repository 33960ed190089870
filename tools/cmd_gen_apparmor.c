/* cmd_gen_apparmor.c - `cronguard gen apparmor [-f POLICY] [-o DIR]
 * [--user USER]... [--force]`: one AppArmor profile per distinct plan.
 *
 * Users whose plans are equal (cg_plan_mac_equal) share one profile, named
 * by the plan's `apparmor` key: the name pam_cronguard switches their jobs
 * to at exec.  Every profile is rendered into memory first, so a plan that
 * cannot be expressed, a name two distinct plans claim, or an existing file
 * stops the command before anything is written. */
#include "commands.h"
#include "plan_groups.h"
#include "render_apparmor.h"
#include "safe_file.h"
#include "tool_common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard gen apparmor [-f POLICY] [-o DIR] [-u USER]... [--force]\n\n"
		"Generates one AppArmor profile per distinct plan: users whose plans are equal\n"
		"share one profile, named by the plan's `apparmor` key (the profile pam_cronguard\n"
		"switches their jobs to).  Plans without an `apparmor` key, with mode = off or\n"
		"allow = no are skipped with a note.  Profiles include <%s>.\n\n"
		"  -f, --file POLICY  policy file (default %s, with its drop-ins)\n"
		"  -o, --output DIR   write one file per profile into DIR (default: stdout)\n"
		"  -u, --user USER    only USER's plan (may repeat; default: every passwd user)\n"
		"      --force        overwrite existing files in DIR\n"
		"  -h, --help         this text\n\n"
		"Exit status: 0 generated, 1 nothing to generate, 2 usage or policy error, a\n"
		"plan AppArmor cannot express, or an existing file without --force.\n"
		"See cronguard-gen-apparmor(8).\n", AA_JOB_ABSTRACTION, CG_DEFAULT_CONFFILE);
}

/* Paths as this host resolves them: AppArmor mediates resolved paths. */
static char *resolve_host(const char *path)
{
	char *r = realpath(path, NULL);

	if (r && strcmp(r, path) == 0) {
		free(r);
		return NULL;
	}
	return r;
}

struct profile_out {
	const struct plan_group *g;
	char *text;
	size_t len;
};

static int cmp_profile(const void *a, const void *b)
{
	const struct profile_out *x = a, *y = b;

	return strcmp(x->g->plan.apparmor, y->g->plan.apparmor);
}

static void print_users(FILE *out, const struct plan_group *g)
{
	for (size_t i = 0; i < g->nusers; i++)
		fprintf(out, "%s%s", i ? " " : "", g->users[i]);
}

/* Writes s for a POSIX shell: as is when it holds only safe characters,
 * else in single quotes. */
static void shell_quote(FILE *out, const char *s)
{
	bool plain = *s != '\0';

	for (const char *c = s; *c && plain; c++)
		plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			(*c >= '0' && *c <= '9') || strchr("/._-+@:=%,", *c);
	if (plain) {
		fputs(s, out);
		return;
	}
	fputc('\'', out);
	for (const char *c = s; *c; c++) {
		if (*c == '\'')
			fputs("'\\''", out);
		else
			fputc(*c, out);
	}
	fputc('\'', out);
}

static int render_one(struct profile_out *po, const struct cg_policy *pol, const char *dir,
		      bool preamble)
{
	const struct plan_group *g = po->g;
	const char **homes = calloc(g->nusers + 1, sizeof(*homes));
	char *install = NULL, err[PATH_MAX + 256];
	FILE *mem;
	int rc = -1;

	if (!homes)
		goto oom;
	/* Homes of every user of the group: equal plans need not mean equal
	 * homes (a plan without `~` is the same for everyone). */
	for (size_t i = 0; i < g->nusers; i++) {
		struct passwd *pw = getpwnam(g->users[i]);

		homes[i] = pw && pw->pw_dir ? strdup(pw->pw_dir) : NULL;
		if (pw && pw->pw_dir && !homes[i])
			goto oom;
	}
	if (dir && asprintf(&install, "%s/%s", dir, g->plan.apparmor) < 0) {
		install = NULL;
		goto oom;
	}
	struct aa_render_opts o = {
		.policy_files = pol->files, .npolicy_files = pol->nfiles,
		.homes = homes, .nhomes = g->nusers,
		.resolve = resolve_host, .install_path = install, .notes = stderr,
		.preamble = preamble,
	};

	mem = open_memstream(&po->text, &po->len);
	if (!mem)
		goto oom;
	rc = aa_render_profile(mem, g, &o, err, sizeof(err));
	if (fclose(mem) != 0 && rc == 0) {
		snprintf(err, sizeof(err), "%s", strerror(errno));
		rc = -1;
	}
	if (rc < 0) {
		fprintf(stderr, "cronguard gen apparmor: profile %s (users ", g->plan.apparmor);
		print_users(stderr, g);
		fprintf(stderr, "): %s\n", err);
	}
	goto out;
oom:
	fprintf(stderr, "cronguard gen apparmor: out of memory\n");
out:
	if (homes)
		for (size_t i = 0; i < g->nusers; i++)
			free((void *)(uintptr_t)homes[i]);
	free(homes);
	free(install);
	return rc;
}

/* Creates DIR/name with the text.  Without force, O_EXCL refuses an
 * existing name (also a symlink, which is never followed).  With force, the
 * text goes to a temporary file that replaces the name atomically: a
 * symlink at the name is replaced, not followed. */
static int write_profile(int dirfd, const char *dir, const struct profile_out *po, bool force)
{
	const char *name = po->g->plan.apparmor;
	char tmp[NAME_MAX + 1];
	const char *target = name;
	int fd, n;
	struct stat st;

	if (force) {
		n = snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
		if (n < 0 || (size_t)n >= sizeof(tmp)) {
			fprintf(stderr, "cronguard gen apparmor: name too long: %s\n", name);
			return -1;
		}
		target = tmp;
	}
	fd = openat(dirfd, target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "cronguard gen apparmor: %s/%s: %m%s\n", dir, target,
			errno == EEXIST ? " (use --force to overwrite)" : "");
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || fchmod(fd, 0644) < 0 ||
	    cg_write_all(fd, po->text, po->len) < 0 || fsync(fd) < 0) {
		fprintf(stderr, "cronguard gen apparmor: %s/%s: %m\n", dir, target);
		close(fd);
		if (force)
			unlinkat(dirfd, tmp, 0);
		return -1;
	}
	if (close(fd) < 0) {
		fprintf(stderr, "cronguard gen apparmor: %s/%s: %m\n", dir, target);
		if (force)
			unlinkat(dirfd, tmp, 0);
		return -1;
	}
	if (force && renameat(dirfd, tmp, dirfd, name) < 0) {
		fprintf(stderr, "cronguard gen apparmor: rename %s/%s to %s: %m\n", dir, tmp, name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

static void print_load(FILE *out, const struct profile_out *v, size_t n, const char *dir)
{
	fprintf(out, "\nTo load, as root (the abstraction %s must be in\n"
		"/etc/apparmor.d; pam_cronguard ships it in apparmor-profiles/):\n",
		AA_JOB_ABSTRACTION);
	if (!dir) {
		fputs("  save the output above as one file, e.g. /etc/apparmor.d/cronguard-jobs, and\n"
		      "  apparmor_parser -r -W /etc/apparmor.d/cronguard-jobs\n"
		      "  (or generate with -o /etc/apparmor.d for one file per profile)\n", out);
	}
	for (size_t i = 0; dir && i < n; i++) {
		char *p = NULL;

		if (asprintf(&p, "%s/%s", dir, v[i].g->plan.apparmor) < 0)
			continue;
		fputs("  apparmor_parser -r -W ", out);
		shell_quote(out, p);
		fputc('\n', out);
		free(p);
	}
	fputs("pam_cronguard switches each job to the profile its plan's `apparmor` key\n"
	      "names, so load a profile before its users' jobs next run:\n", out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %s: ", v[i].g->plan.apparmor);
		print_users(out, v[i].g);
		fputc('\n', out);
	}
}

int cmd_gen_apparmor(int argc, char **argv)
{
	enum { OPT_FORCE = 256 };
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "user", required_argument, NULL, 'u' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *dir = NULL;
	const char **users = calloc((size_t)argc + 1, sizeof(*users));
	size_t nusers = 0, nout = 0;
	bool force = false;
	int c, status = CG_EXIT_USAGE, dirfd = -1;
	struct cg_policy pol;
	struct plan_groups groups = { 0 };
	struct profile_out *outv = NULL;
	bool pol_loaded = false;

	if (!users) {
		fprintf(stderr, "cronguard gen apparmor: out of memory\n");
		return CG_EXIT_USAGE;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:u:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'o': dir = optarg; break;
		case 'u': {
			bool dup = false;   /* a user named twice is still one user */

			for (size_t i = 0; i < nusers && !dup; i++)
				dup = strcmp(users[i], optarg) == 0;
			if (!dup)
				users[nusers++] = optarg;
			break;
		}
		case OPT_FORCE: force = true; break;
		case 'h': usage(stdout); free(users); return CG_EXIT_OK;
		default: usage(stderr); free(users); return CG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cronguard gen apparmor: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		goto out;
	}
	if (force && !dir) {
		fprintf(stderr, "cronguard gen apparmor: --force needs -o DIR\n");
		goto out;
	}
	if (tool_load_policy(file, &pol) < 0)
		goto out;
	pol_loaded = true;
	if (plan_groups_build(&pol, nusers ? users : NULL, nusers, &groups) < 0)
		goto out;

	outv = calloc(groups.n + 1, sizeof(*outv));
	if (!outv) {
		fprintf(stderr, "cronguard gen apparmor: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < groups.n; i++) {
		const char *why = aa_skip_reason(&groups.v[i]);

		if (why) {
			fprintf(stderr, "cronguard gen apparmor: no profile for user%s ",
				groups.v[i].nusers == 1 ? "" : "s");
			print_users(stderr, &groups.v[i]);
			fprintf(stderr, ": %s\n", why);
			continue;
		}
		outv[nout++].g = &groups.v[i];
	}
	if (!nout) {
		fprintf(stderr, "cronguard gen apparmor: nothing to generate; name the profile in "
			"the policy, e.g. `apparmor = cronguard-%%u` in [default]\n");
		status = CG_EXIT_FINDINGS;
		goto out;
	}
	qsort(outv, nout, sizeof(*outv), cmp_profile);
	/* One name, one plan: the module switches by name, so a name shared by
	 * distinct plans would give some users another user's rules. */
	for (size_t i = 1; i < nout; i++) {
		if (strcmp(outv[i - 1].g->plan.apparmor, outv[i].g->plan.apparmor) != 0)
			continue;
		fprintf(stderr, "cronguard gen apparmor: profile name '%s' is used by distinct "
			"plans (users ", outv[i].g->plan.apparmor);
		print_users(stderr, outv[i - 1].g);
		fputs("; users ", stderr);
		print_users(stderr, outv[i].g);
		fputs("); give them distinct names, e.g. `apparmor = cronguard-%u`\n", stderr);
		goto out;
	}
	for (size_t i = 0; i < nout; i++)
		if (render_one(&outv[i], &pol, dir, dir || i == 0) < 0)
			goto out;

	if (!dir) {
		for (size_t i = 0; i < nout; i++) {
			if (i)
				fputc('\n', stdout);
			fwrite(outv[i].text, 1, outv[i].len, stdout);
		}
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "cronguard gen apparmor: writing to stdout: %m\n");
			goto out;
		}
		print_load(stderr, outv, nout, NULL);
		status = CG_EXIT_OK;
		goto out;
	}

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		fprintf(stderr, "cronguard gen apparmor: %s: %m\n", dir);
		goto out;
	}
	if (!force) {
		bool exists = false;
		struct stat st;

		for (size_t i = 0; i < nout; i++) {
			if (fstatat(dirfd, outv[i].g->plan.apparmor, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				fprintf(stderr, "cronguard gen apparmor: %s/%s exists; not overwriting "
					"(use --force)\n", dir, outv[i].g->plan.apparmor);
				exists = true;
			} else if (errno != ENOENT) {
				fprintf(stderr, "cronguard gen apparmor: %s/%s: %m\n", dir,
					outv[i].g->plan.apparmor);
				exists = true;
			}
		}
		if (exists)
			goto out;
	}
	for (size_t i = 0; i < nout; i++) {
		if (write_profile(dirfd, dir, &outv[i], force) < 0)
			goto out;
		printf("wrote %s/%s (users: ", dir, outv[i].g->plan.apparmor);
		print_users(stdout, outv[i].g);
		printf(")\n");
	}
	print_load(stdout, outv, nout, dir);
	status = CG_EXIT_OK;
out:
	if (dirfd >= 0)
		close(dirfd);
	if (outv)
		for (size_t i = 0; i < nout; i++)
			free(outv[i].text);
	free(outv);
	plan_groups_free(&groups);
	if (pol_loaded)
		cg_policy_free(&pol);
	free(users);
	return status;
}
