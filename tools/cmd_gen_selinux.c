/* cmd_gen_selinux.c - `cronguard gen selinux`: one enforcing SELinux job
 * domain per distinct plan, with the file contexts of its script directories
 * and a script that builds, installs and relabels.  See
 * cronguard-gen-selinux(8) and render_selinux.h. */
#include "commands.h"
#include "config.h"
#include "plan_groups.h"
#include "render_selinux.h"
#include "tool_common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BASE CG_DATADIR "/selinux"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard gen selinux [-f POLICY] [-o DIR] [--user USER]...\n"
		"                             [--format refpolicy|cil] [--permissive] [--force]\n"
		"                             [--subs FILE]... [--base DIR]\n\n"
		"Writes one SELinux module per distinct plan (job domain and script type,\n"
		"file contexts of the exec directories) and build.sh into DIR (default .).\n"
		"  -f POLICY       policy file (default: the installed cronguard.conf)\n"
		"  -o DIR          output directory (created if missing)\n"
		"  --user USER     only this user (repeatable; default: every account)\n"
		"  --format F      refpolicy (.te/.fc, default) or cil\n"
		"  --permissive    make the domains permissive (log, do not deny)\n"
		"  --force         overwrite existing files\n"
		"  --subs FILE     path aliases (default: the policy's file_contexts.subs\n"
		"                  and file_contexts.subs_dist; repeatable)\n"
		"  --base DIR      where build.sh finds the base module (default %s)\n",
		DEFAULT_BASE);
}

/* SELINUXTYPE from /etc/selinux/config, "default" when unknown. */
static char *selinux_type(void)
{
	FILE *f = fopen("/etc/selinux/config", "re");
	char *line = NULL, *type = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) != -1) {
		char *p = line;

		if (strncmp(p, "SELINUXTYPE=", 12) != 0)
			continue;
		p += 12;
		p[strcspn(p, " \t\r\n#")] = '\0';
		if (*p && !strchr(p, '/')) {
			free(type);
			type = strdup(p);
		}
	}
	if (f)
		fclose(f);
	free(line);
	return type ? type : strdup("default");
}

/* Opens DIR/NAME for writing: refuses an existing file without --force, and
 * never follows a symbolic link. */
static FILE *open_out(const char *dir, const char *name, bool force, mode_t mode)
{
	char *path = NULL;
	int fd;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		fprintf(stderr, "cronguard: out of memory\n");
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
		  (force ? O_TRUNC : O_EXCL), mode);
	if (fd < 0) {
		if (errno == EEXIST)
			fprintf(stderr, "cronguard: %s exists (use --force to overwrite)\n", path);
		else
			fprintf(stderr, "cronguard: %s: %s\n", path, strerror(errno));
		free(path);
		return NULL;
	}
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "cronguard: %s: not a regular file\n", path);
		close(fd);
		free(path);
		return NULL;
	}
	/* O_TRUNC keeps the old mode: build.sh must be executable */
	if (fchmod(fd, mode) < 0) {
		fprintf(stderr, "cronguard: %s: chmod: %s\n", path, strerror(errno));
		close(fd);
		free(path);
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "cronguard: %s: %s\n", path, strerror(errno));
		close(fd);
	}
	free(path);
	return f;
}

static int close_out(FILE *f, const char *dir, const char *name)
{
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "cronguard: %s/%s: write error: %s\n", dir, name, strerror(errno));
		return -1;
	}
	return 0;
}

static bool exists(const char *dir, const char *name)
{
	char *path = NULL;
	struct stat st;
	bool r;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return true;    /* let open_out() report it */
	r = lstat(path, &st) == 0;
	free(path);
	return r;
}

/* A script type decides the domain: one directory cannot whitelist scripts
 * for two plans, and two plans cannot share a name. */
static int check_conflicts(const struct sel_domain *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (strcmp(v[i].domain, v[j].domain) == 0) {
				fprintf(stderr, "cronguard: users %s and %s have different plans but the "
					"same domain %s: give them different `selinux` names\n",
					v[i].group->users[0], v[j].group->users[0], v[i].domain);
				return -1;
			}
			for (size_t a = 0; a < v[i].ndirs; a++)
				for (size_t b = 0; b < v[j].ndirs; b++)
					if (strcmp(v[i].dirs[a].canon, v[j].dirs[b].canon) == 0) {
						fprintf(stderr, "cronguard: exec %s is whitelisted by two plans "
							"(%s and %s); the script label decides the SELinux "
							"domain, so give each plan its own script directory\n",
							v[i].dirs[a].path, v[i].domain, v[j].domain);
						return -1;
					}
		}
	return 0;
}

int cmd_gen_selinux(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "user", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'F' },
		{ "permissive", no_argument, NULL, 'P' },
		{ "force", no_argument, NULL, 'x' },
		{ "subs", required_argument, NULL, 's' },
		{ "base", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *dir = ".", *base = DEFAULT_BASE;
	const char **users = NULL, **subs = NULL;
	size_t nusers = 0, nsubs = 0;
	bool cil = false, permissive = false, force = false;
	struct cg_policy pol;
	struct plan_groups groups = { 0 };
	struct sel_subs local = { 0 }, dist = { 0 };
	struct sel_domain *doms = NULL;
	size_t ndoms = 0;
	int c, ret = CG_EXIT_USAGE;

	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'o': dir = optarg; break;
		case 'b': base = optarg; break;
		case 'P': permissive = true; break;
		case 'x': force = true; break;
		case 'F':
			if (strcmp(optarg, "cil") == 0)
				cil = true;
			else if (strcmp(optarg, "refpolicy") == 0)
				cil = false;
			else {
				fprintf(stderr, "cronguard: --format: refpolicy or cil\n");
				goto out;
			}
			break;
		case 'u':
		case 's': {
			const char ***l = c == 'u' ? &users : &subs;
			size_t *ln = c == 'u' ? &nusers : &nsubs;
			const char **nl = realloc(*l, (*ln + 1) * sizeof(*nl));

			if (!nl) {
				fprintf(stderr, "cronguard: out of memory\n");
				goto out;
			}
			nl[(*ln)++] = optarg;
			*l = nl;
			break;
		}
		case 'h':
			usage(stdout);
			ret = CG_EXIT_OK;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cronguard: gen selinux: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		goto out;
	}
	if (tool_load_policy(file, &pol) < 0)
		goto out;
	if (nsubs) {
		for (size_t i = 0; i < nsubs; i++)
			if (sel_subs_load(&dist, subs[i]) < 0)
				goto out_pol;
	} else {
		char *type = selinux_type(), *l = NULL, *d = NULL;
		int r = -1;

		if (type && asprintf(&l, "/etc/selinux/%s/contexts/files/file_contexts.subs",
				     type) >= 0 &&
		    asprintf(&d, "/etc/selinux/%s/contexts/files/file_contexts.subs_dist",
			     type) >= 0)
			r = sel_subs_load(&local, l) < 0 || sel_subs_load(&dist, d) < 0 ? -1 : 0;
		free(type);
		free(l);
		free(d);
		if (r < 0)
			goto out_pol;
	}
	if (plan_groups_build(&pol, users, nusers, &groups) < 0)
		goto out_pol;
	doms = calloc(groups.n ? groups.n : 1, sizeof(*doms));
	if (!doms) {
		fprintf(stderr, "cronguard: out of memory\n");
		goto out_groups;
	}
	for (size_t i = 0; i < groups.n; i++) {
		if (!sel_group_wanted(&groups.v[i])) {
			fprintf(stderr, "cronguard: no domain for %s%s: cron is denied or cronguard "
				"is off for them\n", groups.v[i].users[0],
				groups.v[i].nusers > 1 ? " and others" : "");
			continue;
		}
		if (sel_domain_prepare(&doms[ndoms], &groups.v[i], &local, &dist, permissive) < 0) {
			sel_domain_free(&doms[ndoms]);
			goto out_doms;
		}
		ndoms++;
	}
	if (check_conflicts(doms, ndoms) < 0)
		goto out_doms;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "cronguard: %s: %s\n", dir, strerror(errno));
		goto out_doms;
	}
	/* Refuse before writing anything: no half-written set of modules. */
	if (!force) {
		bool clash = false;

		for (size_t i = 0; i < ndoms; i++) {
			char *te = NULL, *fc = NULL;

			if (asprintf(&te, "%s.%s", doms[i].module, cil ? "cil" : "te") < 0 ||
			    asprintf(&fc, "%s.fc", doms[i].module) < 0) {
				free(te);
				goto out_doms;
			}
			if (exists(dir, te) || (!cil && exists(dir, fc))) {
				fprintf(stderr, "cronguard: %s/%s exists (use --force to overwrite)\n",
					dir, exists(dir, te) ? te : fc);
				clash = true;
			}
			free(te);
			free(fc);
		}
		if (exists(dir, "build.sh")) {
			fprintf(stderr, "cronguard: %s/build.sh exists (use --force to overwrite)\n", dir);
			clash = true;
		}
		if (clash)
			goto out_doms;
	}
	const char *pname = file ? file : "the installed policy";

	ret = CG_EXIT_USAGE;    /* an I/O failure below */
	for (size_t i = 0; i < ndoms; i++) {
		char *name = NULL;
		FILE *f;

		if (asprintf(&name, "%s.%s", doms[i].module, cil ? "cil" : "te") < 0)
			goto out_doms;
		f = open_out(dir, name, force, 0644);
		if (!f || (cil ? sel_render_cil(f, &doms[i], pname)
			       : sel_render_te(f, &doms[i], pname)) < 0 ||
		    close_out(f, dir, name) < 0) {
			free(name);
			goto out_doms;
		}
		free(name);
		if (cil)
			continue;
		if (asprintf(&name, "%s.fc", doms[i].module) < 0)
			goto out_doms;
		f = open_out(dir, name, force, 0644);
		if (!f || sel_render_fc(f, &doms[i]) < 0 || close_out(f, dir, name) < 0) {
			free(name);
			goto out_doms;
		}
		free(name);
	}
	FILE *f = open_out(dir, "build.sh", force, 0755);

	if (!f || sel_render_build(f, doms, ndoms, cil, base) < 0 ||
	    close_out(f, dir, "build.sh") < 0)
		goto out_doms;
	for (size_t i = 0; i < ndoms; i++)
		printf("%s/%s.%s: %s (%zu user%s)\n", dir, doms[i].module, cil ? "cil" : "te",
		       doms[i].domain, doms[i].group->nusers, doms[i].group->nusers == 1 ? "" : "s");
	printf("%s/build.sh: build, install, relabel\n", dir);
	ret = CG_EXIT_OK;
out_doms:
	for (size_t i = 0; i < ndoms; i++)
		sel_domain_free(&doms[i]);
	free(doms);
out_groups:
	plan_groups_free(&groups);
out_pol:
	cg_policy_free(&pol);
	sel_subs_free(&local);
	sel_subs_free(&dist);
out:
	free(users);
	free(subs);
	return ret;
}
