/* render_apparmor.c - see render_apparmor.h.
 *
 * The template is this file: one function per block of the profile, each
 * writing rules from sorted, de-duplicated path sets, so the same plan gives
 * byte-identical output (no timestamps, no hash order).
 *
 * Rules of the generated profile, and why:
 *   - exec entries and interpreters get `mrix` (ix: a program runs in this
 *     same profile, so everything a job starts stays confined) and nothing
 *     else does; `deny wl` on them, because deny beats any allow (AppArmor
 *     3.0 has no rule priorities), including one from an include.
 *   - write paths get `rwlk` and an `audit deny mx`: nothing writable is
 *     executable, neither by execve (x) nor mapped executable (m: ld.so
 *     FILE, dlopen).  Where a write path lies in the exec whitelist, both
 *     denies apply and the overlap is neither writable nor executable (noted).
 *   - /tmp, /var/tmp, /dev/shm, /home and the served users' homes get
 *     `audit deny mx` too, unless the plan whitelists something inside them
 *     or they lie inside an exec directory other than / (system accounts
 *     whose home is /usr/sbin or /bin).
 *   - `audit` on every deny: a plain deny rule is silent, and every refusal
 *     must reach the log.
 *   - Paths are written literally inside quotes; a path with a character
 *     AppArmor reads as a pattern or syntax is refused, not escaped, because
 *     the parser's escaping inside quoted strings is not reliable. */
#include "render_apparmor.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* --- path sets -------------------------------------------------------- */

struct pathset {
	char **v;
	size_t n, cap;
	bool oom;
};

static void ps_add(struct pathset *s, const char *path)
{
	if (s->oom)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], path) == 0)
			return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			s->oom = true;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(path))) {
		s->oom = true;
		return;
	}
	s->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void ps_sort(struct pathset *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

static void ps_free(struct pathset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static bool ps_any_under(const struct pathset *s, const char *dir)
{
	for (size_t i = 0; i < s->n; i++)
		if (cg_path_under(s->v[i], dir))
			return true;
	return false;
}

/* Adds path and, with a resolve hook, what it resolves to on this host;
 * records "path -> resolved" in *links for the comment. */
static void ps_add_resolved(struct pathset *s, struct pathset *links, const char *path,
			    const struct aa_render_opts *o)
{
	ps_add(s, path);
	if (!o->resolve)
		return;
	char *r = o->resolve(path);

	if (!r)
		return;
	ps_add(s, r);
	if (links) {
		size_t len = strlen(path) + strlen(r) + 5;
		char *line = malloc(len);

		if (line) {
			snprintf(line, len, "%s -> %s", path, r);
			ps_add(links, line);
			free(line);
		} else {
			links->oom = true;
		}
	}
	free(r);
}

static void ps_add_list(struct pathset *s, struct pathset *links, const struct cg_strlist *l,
			const struct aa_render_opts *o)
{
	for (size_t i = 0; i < l->n; i++)
		ps_add_resolved(s, links, l->v[i], o);
}

/* --- literal paths ---------------------------------------------------- */

/* Characters a path may have to be written literally between quotes.
 * Everything else is AppArmor syntax: globs (* ? [ ] { } ^), variables (@),
 * escapes and quotes (\ "), comments (#), rule separators (,). */
static bool literal_char(unsigned char c)
{
	return isalnum(c) || strchr("/._-+~:=% ", c) || c >= 0x80;
}

static const char *check_literal(const char *path)
{
	for (const char *c = path; *c; c++)
		if (!literal_char((unsigned char)*c))
			return c;
	return NULL;
}

static const char *ps_check(const struct pathset *s, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *bad = check_literal(s->v[i]);

		if (bad) {
			snprintf(err, errlen,
				 "path '%s' contains '%c', which AppArmor reads as a pattern or "
				 "syntax; it cannot be written as a literal path in a profile",
				 s->v[i], *bad);
			return err;
		}
	}
	return NULL;
}

/* The directory form of a path: "" for "/", else the path (rules append
 * "/" or the recursive glob). */
static const char *dir_base(const char *path)
{
	return strcmp(path, "/") == 0 ? "" : path;
}

/* Writes the rules covering path as a file, as a directory, and below it:
 *   "P" PERMS,   "P/" DIRPERMS,   "P/" + recursive glob PERMS. */
static void put_tree(FILE *out, const char *prefix, const char *path, const char *perms,
		     const char *dirperms)
{
	const char *b = dir_base(path);

	if (*b)
		fprintf(out, "  %s\"%s\" %s,\n", prefix, b, perms);
	if (dirperms)
		fprintf(out, "  %s\"%s/\" %s,\n", prefix, b, dirperms);
	fprintf(out, "  %s\"%s/**\" %s,\n", prefix, b, perms);
}

static void put_links(FILE *out, const struct pathset *links)
{
	for (size_t i = 0; i < links->n; i++)
		fprintf(out, "  #   on this host %s\n", links->v[i]);
}

/* --- blocks of the profile -------------------------------------------- */

struct sets {
	struct pathset exec, interp, read, write, deny_x, links;
};

static void sets_free(struct sets *s)
{
	ps_free(&s->exec);
	ps_free(&s->interp);
	ps_free(&s->read);
	ps_free(&s->write);
	ps_free(&s->deny_x);
	ps_free(&s->links);
}

static bool sets_oom(const struct sets *s)
{
	return s->exec.oom || s->interp.oom || s->read.oom || s->write.oom || s->deny_x.oom ||
	       s->links.oom;
}

/* Temporary and home directories: no exec, unless the plan deliberately
 * whitelists something inside (then the admin decided), or the directory
 * lies inside an exec directory other than / (a system account's home such
 * as /usr/sbin or /bin is not a place the user writes). */
static const char *const no_exec_dirs[] = { "/tmp", "/var/tmp", "/dev/shm", "/home" };

static const char *no_exec_skip(const struct sets *s, const char *dir)
{
	if (strcmp(dir, "/") == 0)
		return "it is /";
	if (ps_any_under(&s->exec, dir) || ps_any_under(&s->interp, dir))
		return "the plan whitelists a program inside it";
	for (size_t i = 0; i < s->exec.n; i++)
		if (strcmp(s->exec.v[i], "/") != 0 && cg_path_under(dir, s->exec.v[i]))
			return "it lies inside an exec directory";
	return NULL;
}

static void header(FILE *out, const struct plan_group *g, const struct aa_render_opts *o)
{
	const struct cg_plan *p = &g->plan;

	fprintf(out, "# AppArmor profile %s, generated by `cronguard gen apparmor`.\n"
		"# Do not edit: change the policy and generate again (local additions go\n"
		"# in local/%s, included at the end).\n#\n", p->apparmor, p->apparmor);
	fprintf(out, "# Serves the cron jobs of user%s:", g->nusers == 1 ? "" : "s");
	for (size_t i = 0; i < g->nusers; i++)
		fprintf(out, " %s", g->users[i]);
	fprintf(out, "\n# Policy file%s:", o->npolicy_files == 1 ? "" : "s");
	for (size_t i = 0; i < o->npolicy_files; i++)
		fprintf(out, " %s", o->policy_files[i]);
	fprintf(out, "\n# pam_cronguard switches these jobs to this profile at exec (their plan's\n"
		"# `apparmor = %s`); plan mode: %s.\n", p->apparmor, cg_mode_name(p->mode));
	fprintf(out, "# Needs /etc/apparmor.d/%s (apparmor-profiles/ of pam_cronguard).\n",
		AA_JOB_ABSTRACTION);
	if (o->install_path)
		fprintf(out, "# Load: apparmor_parser -r -W %s\n", o->install_path);
	if (o->preamble)
		fputs("\nabi <abi/3.0>,\n\ninclude <tunables/global>\n", out);
	fputc('\n', out);
}

static void exec_block(FILE *out, const struct cg_plan *p, const struct sets *s)
{
	fputs("  # Execute: the plan's exec whitelist and interpreters, nothing else.\n"
	      "  # ix: what a job runs stays in this profile.\n", out);
	if (!p->exec_set) {
		fputs("  # The plan leaves exec unconfined (no `exec` line): any program,\n"
		      "  # except where the audit deny rules below say otherwise.\n"
		      "  \"/**\" mrix,\n", out);
	}
	for (size_t i = 0; i < s->exec.n; i++)
		put_tree(out, "", s->exec.v[i], "mrix", "r");
	for (size_t i = 0; i < s->interp.n; i++)
		fprintf(out, "  \"%s\" mrix,\n", s->interp.v[i]);
	if (s->links.n) {
		fputs("  # AppArmor sees resolved paths; the plan's symlinks resolve as follows\n", out);
		put_links(out, &s->links);
	}
	fputc('\n', out);
}

static void read_block(FILE *out, const struct cg_plan *p, const struct sets *s)
{
	if (!p->read_set) {
		fputs("  # Read: the plan leaves reading unconfined (no `read` line); file\n"
		      "  # permissions decide.\n"
		      "  \"/\" r,\n  \"/**\" r,\n\n", out);
		return;
	}
	fputs("  # Read: the plan's read paths (exec and write paths are readable too).\n", out);
	for (size_t i = 0; i < s->read.n; i++)
		put_tree(out, "", s->read.v[i], "r", "r");
	fputc('\n', out);
}

static void write_block(FILE *out, const struct cg_plan *p, const struct sets *s)
{
	if (!p->write_set) {
		fputs("  # Write: the plan leaves writing unconfined (no `write` line), except\n"
		      "  # the exec whitelist (denied below).\n"
		      "  \"/**\" rwlk,\n\n", out);
		return;
	}
	fputs("  # Write: only the plan's write paths; never executable (denied below).\n", out);
	for (size_t i = 0; i < s->write.n; i++)
		put_tree(out, "", s->write.v[i], "rwlk", "rw");
	fputc('\n', out);
}

static void deny_block(FILE *out, const struct sets *s, const struct pathset *skipped)
{
	fputs("  # Never execute where a job may write, nor from temporary or home\n"
	      "  # directories.  deny beats every allow; audit logs each refusal.\n", out);
	for (size_t i = 0; i < s->deny_x.n; i++)
		put_tree(out, "audit deny ", s->deny_x.v[i], "mx", NULL);
	for (size_t i = 0; i < s->write.n; i++)
		if (strcmp(s->write.v[i], "/") == 0)
			fputs("  # write = /: no exec deny for it (the exec whitelist is not "
			      "writable instead)\n", out);
	for (size_t i = 0; i < skipped->n; i++)
		fprintf(out, "  # not denied: %s\n", skipped->v[i]);
	fputs("\n  # Never write or link in the exec whitelist or to an interpreter.\n", out);
	for (size_t i = 0; i < s->exec.n; i++) {
		/* `exec = /` whitelists everything; denying writes under / would
		 * forbid every write, so the write paths' deny mx decides there. */
		if (strcmp(s->exec.v[i], "/") == 0)
			fputs("  # exec = /: no write deny for it (the write paths are not "
			      "executable instead)\n", out);
		else
			put_tree(out, "audit deny ", s->exec.v[i], "wl", NULL);
	}
	for (size_t i = 0; i < s->interp.n; i++)
		fprintf(out, "  audit deny \"%s\" wl,\n", s->interp.v[i]);
}

static void put_ports(FILE *out, const char *what, const struct cg_port_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i == 0)
			fprintf(out, " %s %u", what, (unsigned)l->v[i].lo);
		else
			fprintf(out, ",%u", (unsigned)l->v[i].lo);
		if (l->v[i].hi != l->v[i].lo)
			fprintf(out, "-%u", (unsigned)l->v[i].hi);
	}
}

static void network_block(FILE *out, const struct cg_plan *p)
{
	const struct cg_network *n = &p->network;
	bool tcp = n->connect.n || n->bind.n;

	fputs("  # Network.\n", out);
	if (n->any) {
		fputs("  # network = any\n  network,\n\n", out);
		return;
	}
	if (!tcp && !n->udp) {
		fputs("  # network = none\n"
		      "  audit deny network inet,\n  audit deny network inet6,\n\n", out);
		return;
	}
	if (tcp) {
		fputs("  # network = tcp-connect/tcp-bind: AppArmor 3.0 cannot filter ports;\n"
		      "  # pam_cronguard's Landlock rules restrict them to:", out);
		put_ports(out, "connect", &n->connect);
		put_ports(out, "bind", &n->bind);
		fputs("\n  network inet stream,\n  network inet6 stream,\n", out);
	} else {
		fputs("  audit deny network inet stream,\n  audit deny network inet6 stream,\n", out);
	}
	if (n->udp)
		fputs("  # network += udp (unfiltered)\n"
		      "  network inet dgram,\n  network inet6 dgram,\n", out);
	else
		fputs("  audit deny network inet dgram,\n  audit deny network inet6 dgram,\n", out);
	fputs("  audit deny network inet raw,\n  audit deny network inet6 raw,\n\n", out);
}

static void capability_block(FILE *out, const struct cg_plan *p)
{
	int last = cg_cap_last();
	uint64_t all = last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;

	fputs("  # Capabilities the plan keeps (only a root job has any).\n", out);
	if ((p->capabilities & all) == all) {
		fputs("  # capabilities = all\n  capability,\n\n", out);
		return;
	}
	if (!p->capabilities) {
		fputs("  # capabilities = none: no capability rule, so none is granted.\n\n", out);
		return;
	}
	for (int c = 0; c <= last && c < 64; c++) {
		const char *name = cg_cap_name(c);

		if (!(p->capabilities & (UINT64_C(1) << c)) || !name)
			continue;
		fputs("  capability ", out);
		for (const char *ch = name + 4; *ch; ch++)    /* without "CAP_" */
			fputc(tolower((unsigned char)*ch), out);
		fputs(",\n", out);
	}
	fputc('\n', out);
}

/* --- public ------------------------------------------------------------- */

const char *aa_skip_reason(const struct plan_group *g)
{
	const struct cg_plan *p = &g->plan;

	if (!p->apparmor)
		return "the plan names no AppArmor profile (no `apparmor` key), so "
		       "pam_cronguard switches no profile for these jobs";
	if (p->mode == CG_MODE_OFF)
		return "mode = off: pam_cronguard does nothing for these jobs";
	if (!p->allow)
		return "allow = no: these jobs never run";
	return NULL;
}

const char *aa_check_name(const char *name)
{
	if (!*name)
		return "empty name";
	if (name[0] == '.' || name[0] == '-')
		return "a profile name must not start with '.' or '-'";
	if (strlen(name) > 200)
		return "name longer than 200 characters";
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.-+@", *c))
			return *c == '/' ? "'/' in a profile name makes it a path attachment "
					   "or a child profile; use a plain name"
					 : "only letters, digits and _ . - + @ may appear in a name";
	return NULL;
}

static int build_sets(const struct plan_group *g, const struct aa_render_opts *o,
		      struct sets *s, struct pathset *skipped, char *err, size_t errlen)
{
	const struct cg_plan *p = &g->plan;

	ps_add_list(&s->exec, &s->links, &p->exec, o);
	ps_add_list(&s->interp, &s->links, &p->interpreters, o);
	ps_add_list(&s->read, &s->links, &p->read, o);
	ps_add_list(&s->write, &s->links, &p->write, o);
	/* Every write path: never executable, whatever else says so; except
	 * `write = /`, where that would forbid every program (the exec
	 * whitelist's deny wl keeps it unwritable instead). */
	for (size_t i = 0; i < s->write.n; i++)
		if (strcmp(s->write.v[i], "/") != 0)
			ps_add(&s->deny_x, s->write.v[i]);
	struct pathset cand = { 0 };

	for (size_t i = 0; i < sizeof(no_exec_dirs) / sizeof(no_exec_dirs[0]); i++)
		ps_add_resolved(&cand, NULL, no_exec_dirs[i], o);
	for (size_t i = 0; i < o->nhomes; i++)
		if (o->homes[i] && o->homes[i][0] == '/')
			ps_add_resolved(&cand, NULL, o->homes[i], o);
	for (size_t i = 0; i < cand.n; i++) {
		const char *why = no_exec_skip(s, cand.v[i]);

		if (!why && check_literal(cand.v[i]))
			why = "it cannot be written literally (/home is denied as a whole)";
		if (!why) {
			ps_add(&s->deny_x, cand.v[i]);
			continue;
		}
		bool already = false;

		for (size_t j = 0; j < s->deny_x.n && !already; j++)
			already = strcmp(s->deny_x.v[j], cand.v[i]) == 0;
		if (already)
			continue;   /* a write path: denied whatever the exec list says */
		size_t len = strlen(cand.v[i]) + strlen(why) + 4;
		char *line = malloc(len);

		if (!line) {
			skipped->oom = true;
			continue;
		}
		snprintf(line, len, "%s (%s)", cand.v[i], why);
		ps_add(skipped, line);
		free(line);
	}
	ps_free(&cand);
	if (sets_oom(s) || skipped->oom) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ps_check(&s->exec, err, errlen) || ps_check(&s->interp, err, errlen) ||
	    ps_check(&s->read, err, errlen) || ps_check(&s->write, err, errlen))
		return -1;
	ps_sort(&s->exec);
	ps_sort(&s->interp);
	ps_sort(&s->read);
	ps_sort(&s->write);
	ps_sort(&s->deny_x);
	ps_sort(&s->links);
	ps_sort(skipped);
	return 0;
}

/* Write paths inside the exec whitelist (or containing part of it): the
 * profile denies both there. */
static void overlaps(FILE *out, FILE *notes, const char *name, const struct sets *s)
{
	for (size_t i = 0; i < s->write.n; i++) {
		const char *w = s->write.v[i];

		for (size_t j = 0; j < s->exec.n + s->interp.n; j++) {
			const char *x = j < s->exec.n ? s->exec.v[j] : s->interp.v[j - s->exec.n];

			if (strcmp(x, "/") == 0 || strcmp(w, "/") == 0)
				continue;   /* handled by the rules for / above */
			if (!cg_path_under(w, x) && !cg_path_under(x, w))
				continue;
			fprintf(out, "  # overlap: write path %s and exec path %s: neither writable nor "
				"executable there\n", w, x);
			if (notes)
				fprintf(notes, "cronguard gen apparmor: %s: write path %s overlaps exec "
					"path %s: the profile denies both write and exec there\n",
					name, w, x);
			break;
		}
	}
}

int aa_render_profile(FILE *out, const struct plan_group *g, const struct aa_render_opts *o,
		      char *err, size_t errlen)
{
	const struct cg_plan *p = &g->plan;
	struct sets s = { 0 };
	struct pathset skipped = { 0 };
	const char *why;

	if ((why = aa_skip_reason(g)) != NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if ((why = aa_check_name(p->apparmor)) != NULL) {
		snprintf(err, errlen, "profile name '%s': %s", p->apparmor, why);
		return -1;
	}
	if (build_sets(g, o, &s, &skipped, err, errlen) < 0) {
		sets_free(&s);
		ps_free(&skipped);
		return -1;
	}
	header(out, g, o);
	fprintf(out, "profile %s%s {\n", p->apparmor,
		p->mode == CG_MODE_COMPLAIN ? " flags=(complain)" : "");
	fprintf(out, "  include <%s>\n\n", AA_JOB_ABSTRACTION);
	exec_block(out, p, &s);
	read_block(out, p, &s);
	write_block(out, p, &s);
	deny_block(out, &s, &skipped);
	overlaps(out, o->notes, p->apparmor, &s);
	fputc('\n', out);
	network_block(out, p);
	capability_block(out, p);
	fprintf(out, "  include if exists <local/%s>\n}\n", p->apparmor);
	sets_free(&s);
	ps_free(&skipped);
	if (ferror(out)) {
		snprintf(err, errlen, "write error");
		return -1;
	}
	return 0;
}
