/* gate.c - see gate.h. */
#include "gate.h"
#include "crontab.h"
#include "safe_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct cg_cron_files cg_debian_cron_files = {
	"/var/spool/cron/crontabs", "/etc/crontab", "/etc/cron.d", false,
};

const struct cg_cron_files cg_cronie_files = {
	"/var/spool/cron", "/etc/crontab", "/etc/cron.d", true,
};

static void deny(struct cg_verdict *v, const char *rule, const char *file, unsigned line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void deny(struct cg_verdict *v, const char *rule, const char *file, unsigned line,
		 const char *fmt, ...)
{
	va_list ap;

	v->deny = true;
	v->rule = rule;
	if (file)
		snprintf(v->where, sizeof(v->where), "%s:%u", file, line);
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

/* A PATH directory checked. */
static void trace_dir(struct cg_gate_trace *t, const char *dir)
{
	char **nv;

	if (!t)
		return;
	nv = realloc(t->dirs, (t->ndirs + 1) * sizeof(*t->dirs));
	if (nv)
		t->dirs = nv;
	if (!nv || !(nv[t->ndirs] = strdup(dir))) {
		t->unprovable = true;
		return;
	}
	t->ndirs++;
}

/* A file read (st: the fstat of what was read) or found absent (NULL). */
static void trace_file(struct cg_gate_trace *t, const char *path, const struct stat *st)
{
	struct cg_input *nv;
	char *copy;

	if (!t)
		return;
	nv = realloc(t->files, (t->nfiles + 1) * sizeof(*t->files));
	if (nv)
		t->files = nv;
	if (!nv || !(copy = strdup(path))) {
		t->unprovable = true;
		return;
	}
	memset(&nv[t->nfiles], 0, sizeof(nv[t->nfiles]));
	nv[t->nfiles].path = copy;
	nv[t->nfiles].present = st != NULL;
	if (st)
		nv[t->nfiles].st = *st;
	t->nfiles++;
}

void cg_gate_trace_free(struct cg_gate_trace *t)
{
	for (size_t i = 0; i < t->nfiles; i++)
		free((char *)(uintptr_t)t->files[i].path);
	for (size_t i = 0; i < t->ndirs; i++)
		free(t->dirs[i]);
	free(t->files);
	free(t->dirs);
	memset(t, 0, sizeof(*t));
}

/* A directory on a job's PATH must not be writable by anyone but root, nor
 * may any directory above it (a writable parent can swap the directory).
 * Walked from / down with lstat, so "above" means where the directory
 * really is: a symlink on the way sends the check to its canonical path
 * (realpath), whose parents are then the ones that count.  A part that
 * does not exist is fine when what exists above it is root's alone: only
 * root can create it. */
static bool memo_has(const struct cg_trust_memo *m, const char *dir)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (strcmp(m->v[i], dir) == 0)
			return true;
	return false;
}

static void memo_add(struct cg_trust_memo *m, const char *dir)
{
	size_t n = strlen(dir);

	if (m && m->n < sizeof(m->v) / sizeof(m->v[0]) && n < sizeof(m->v[0]))
		memcpy(m->v[m->n++], dir, n + 1);
}

/* One directory: root's alone (NULL), or why not; *link when it is a
 * symlink (nothing judged). */
static const char *untrusted_one(const char *dir, struct cg_trust_memo *memo, bool *link)
{
	struct stat st;
	const char *why;

	*link = false;
	if (memo_has(memo, dir))
		return NULL;
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? "" : "cannot be checked";
	if (S_ISLNK(st.st_mode)) {
		*link = true;
		return NULL;
	}
	if ((why = cg_stat_untrusted(&st)) == NULL)
		memo_add(memo, dir);
	return why;
}

static const char *untrusted_walk(const char *dir, bool canonical, struct cg_trust_memo *memo)
{
	char buf[4096];
	const char *why;
	size_t n = strlen(dir);
	bool link;

	if (n >= sizeof(buf))
		return "path too long";
	if (dir[0] != '/')
		return "not absolute";
	memcpy(buf, dir, n + 1);
	if ((why = untrusted_one("/", memo, &link)) != NULL)
		return *why ? why : "cannot be checked";
	for (size_t end = 1; end < n; end++) {
		char saved;

		/* buf[0..end) is the next prefix: "/usr", then "/usr/bin". */
		while (end < n && buf[end] != '/')
			end++;
		saved = buf[end];
		buf[end] = '\0';
		why = untrusted_one(buf, memo, &link);
		buf[end] = saved;
		if (why)
			return *why ? why : NULL;       /* "": absent from here on */
		if (link) {
			char real[PATH_MAX];

			if (canonical || !realpath(dir, real))
				return "a symbolic link that cannot be resolved";
			return untrusted_walk(real, true, memo);
		}
	}
	return NULL;
}

const char *cg_gate_dir_untrusted(const char *dir, struct cg_trust_memo *memo)
{
	return untrusted_walk(dir, false, memo);
}

static void check_path_value(const struct cg_plan *p, const struct cg_cron_entry *e,
			     const char *file, struct cg_verdict *v, struct cg_gate_trace *t)
{
	const char *s = e->value;
	struct cg_trust_memo memo = { 0 };

	for (;;) {
		const char *colon = strchr(s, ':');
		size_t len = colon ? (size_t)(colon - s) : strlen(s);
		char dir[4096];

		if (len == 0 || s[0] != '/') {
			deny(v, "path", file, e->line,
			     "PATH contains a %s entry ('%.*s'); it makes the job run programs "
			     "from its working directory", len ? "relative" : "empty", (int)len, s);
			return;
		}
		if (len >= sizeof(dir)) {
			deny(v, "path", file, e->line, "PATH entry too long");
			return;
		}
		memcpy(dir, s, len);
		dir[len] = '\0';
		if (!cg_strlist_find_prefix(&p->path, dir)) {
			deny(v, "path", file, e->line,
			     "PATH directory %s is not allowed by the policy's path", dir);
			return;
		}
		const char *why = cg_gate_dir_untrusted(dir, &memo);

		trace_dir(t, dir);
		if (why) {
			deny(v, "path", file, e->line, "PATH directory %s (or a parent) is %s",
			     dir, why);
			return;
		}
		if (!colon)
			return;
		s = colon + 1;
	}
}

static void check_variable(const struct cg_plan *p, const struct cg_cron_entry *e,
			   const char *file, struct cg_verdict *v, struct cg_gate_trace *t)
{
	const char *pattern = cg_plan_env_denied(p, e->name);

	if (pattern) {
		deny(v, "env.deny", file, e->line,
		     "crontab sets %s, which the policy denies (pattern %s)", e->name, pattern);
		return;
	}
	if (strcmp(e->name, "SHELL") == 0) {
		for (size_t i = 0; i < p->interpreters.n; i++)
			if (strcmp(p->interpreters.v[i], e->value) == 0)
				return;
		deny(v, "interpreters", file, e->line,
		     "crontab sets SHELL=%s, which is not among the policy's interpreters",
		     e->value);
		return;
	}
	if (strcmp(e->name, "PATH") == 0)
		check_path_value(p, e, file, v, t);
}

/* Checks the environment each of user's jobs in ct would get: the latest
 * assignment of each name before the job (cron copies the environment at
 * each job line).  user NULL: every job of the file is the user's. */
static void check_crontab(const struct cg_plan *p, const struct cg_crontab *ct,
			  const char *user, struct cg_verdict *v, struct cg_gate_trace *t)
{
	const struct cg_cron_entry **env = malloc((ct->n + 1) * sizeof(*env));
	bool *checked = calloc(ct->n + 1, sizeof(*checked));
	size_t nenv = 0;

	if (!env || !checked) {
		deny(v, "internal", ct->file, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ct->n && !v->deny; i++) {
		const struct cg_cron_entry *e = &ct->entries[i];

		if (e->kind == CG_CRON_ENV) {
			size_t j;

			for (j = 0; j < nenv; j++)
				if (strcmp(env[j]->name, e->name) == 0)
					break;
			env[j] = e;
			if (j == nenv)
				nenv++;
			continue;
		}
		if (user && (!e->user || strcmp(e->user, user) != 0))
			continue;
		for (size_t j = 0; j < nenv && !v->deny; j++) {
			size_t idx = (size_t)(env[j] - ct->entries);

			if (checked[idx])
				continue;
			checked[idx] = true;
			check_variable(p, env[j], ct->file, v, t);
		}
	}
out:
	free(env);
	free(checked);
}

/* Reads one crontab and checks it.  A file cron itself would not load
 * holds no job that can run, so it is skipped. */
static int check_file(const struct cg_plan *p, const char *path, enum cg_crontab_kind kind,
		      const char *user, struct cg_verdict *v, const struct cg_logger *log,
		      struct cg_gate_trace *t)
{
	struct cg_crontab ct;
	struct cg_diags d = { 0 };
	char *real = NULL;
	int rc = cg_crontab_read(&ct, path, kind, NULL, NULL, &d);

	if (rc == -2 && errno == ELOOP && kind == CG_CRONTAB_SYSTEM &&
	    (real = realpath(path, NULL)) != NULL) {
		/* Debian's cron follows a symlinked /etc/crontab or cron.d file
		 * (to a root-owned target), so its jobs run: read the target.
		 * A spool crontab that is a symlink cron refuses outright. */
		cg_diags_free(&d);
		rc = cg_crontab_read(&ct, real, kind, NULL, NULL, &d);
		if (t)
			t->unprovable = true;   /* what it leads to is not stat'ed */
	}
	free(real);
	if (rc == -2) {
		int e = errno;

		cg_diags_free(&d);
		if (e == ENOENT) {
			trace_file(t, path, NULL);
			return 0;
		}
		if (e == ELOOP) {
			/* cron refuses symlinked spool crontabs; nothing in it runs. */
			if (t)
				t->unprovable = true;
			cg_logf(log, LOG_WARNING, "crontab %s is a symbolic link; not checked", path);
			return 0;
		}
		cg_logf(log, LOG_ERR, "cannot read crontab %s: %s", path, strerror(e));
		return -1;
	}
	trace_file(t, path, &ct.st);
	if (rc == 0)
		check_crontab(p, &ct, user, v, t);
	else
		cg_logf(log, LOG_DEBUG, "%s: cron would not load it; not checked", path);
	cg_crontab_free(&ct);
	cg_diags_free(&d);
	return 0;
}

static int check_system_dir(const struct cg_plan *p, const struct cg_cron_files *files,
			    struct cg_verdict *v, const struct cg_logger *log,
			    struct cg_gate_trace *t)
{
	const char *dir = files->system_dir;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dp;
	struct dirent *de = NULL;
	int rc = 0;

	if (fd < 0) {
		if (errno == ENOENT) {
			trace_file(t, dir, NULL);
			return 0;
		}
		cg_logf(log, LOG_ERR, "cannot open %s: %m", dir);
		return -1;
	}
	if (t) {        /* only when the decision is to be remembered */
		struct stat st;

		if (fstat(fd, &st) == 0)
			trace_file(t, dir, &st);
		else
			t->unprovable = true;
	}
	dp = fdopendir(fd);
	if (!dp) {
		cg_logf(log, LOG_ERR, "cannot read %s: %m", dir);
		close(fd);
		return -1;
	}
	while (!v->deny && rc == 0 && (errno = 0, de = readdir(dp)) != NULL) {
		char path[4096];

		/* Files cron does not read hold no job that can run. */
		if (files->cronie_names ? !cg_cronie_name_ok(de->d_name)
					: !cg_cron_d_name_ok(de->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		rc = check_file(p, path, CG_CRONTAB_SYSTEM, p->id.user, v, log, t);
	}
	if (!de && errno && rc == 0) {
		cg_logf(log, LOG_ERR, "cannot read %s: %m", dir);
		rc = -1;
	}
	closedir(dp);
	return rc;
}

int cg_gate_decide(const struct cg_plan *p, const struct cg_cron_files *files,
		   struct cg_verdict *v, const struct cg_logger *log, struct cg_gate_trace *t)
{
	char spool[4096];

	memset(v, 0, sizeof(*v));
	if (!p->allow) {
		const struct cg_origin *o = &p->origin[CG_KEY_ALLOW];

		deny(v, "allow", o->file, o->line, "the policy does not allow %s's cron jobs",
		     p->id.user);
		return 0;
	}
	if (strchr(p->id.user, '/') || p->id.user[0] == '.') {
		deny(v, "internal", NULL, 0, "user name unusable as a file name");
		return 0;
	}
	if ((size_t)snprintf(spool, sizeof(spool), "%s/%s", files->spool_dir, p->id.user) >=
	    sizeof(spool)) {
		deny(v, "internal", NULL, 0, "spool path too long");
		return 0;
	}
	if (check_file(p, spool, CG_CRONTAB_USER, NULL, v, log, t) < 0)
		return -1;
	if (!v->deny && check_file(p, files->system_crontab, CG_CRONTAB_SYSTEM, p->id.user, v,
				   log, t) < 0)
		return -1;
	if (!v->deny && check_system_dir(p, files, v, log, t) < 0)
		return -1;
	return 0;
}
