/* render_selinux.c - see render_selinux.h. */
#include "render_selinux.h"
#include "policy_keys.h"
#include "safe_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- aliases */

int sel_subs_load(struct sel_subs *s, const char *file)
{
	FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "cronguard: %s: %s\n", file, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		char *p = line, *a, *b;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || *p == '\0')
			continue;
		a = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
		while (isspace((unsigned char)*p))
			p++;
		b = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		*p = '\0';
		if (*b == '\0' || a[0] != '/' || b[0] != '/')
			continue;       /* libselinux skips malformed lines too */
		char **nf = realloc(s->from, (s->n + 1) * sizeof(*nf));

		if (nf)
			s->from = nf;
		char **nt = nf ? realloc(s->to, (s->n + 1) * sizeof(*nt)) : NULL;

		if (nt)
			s->to = nt;
		if (!nf || !nt || !(s->from[s->n] = strdup(a))) {
			ret = -1;
			break;
		}
		if (!(s->to[s->n] = strdup(b))) {
			free(s->from[s->n]);
			ret = -1;
			break;
		}
		s->n++;
	}
	if (ret < 0)
		fprintf(stderr, "cronguard: out of memory\n");
	else if (ferror(f)) {
		fprintf(stderr, "cronguard: %s: read error\n", file);
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}

void sel_subs_free(struct sel_subs *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->from[i]);
		free(s->to[i]);
	}
	free(s->from);
	free(s->to);
	memset(s, 0, sizeof(*s));
}

/* libselinux's selabel_sub(): the first alias that is the path or a
 * directory above it wins. */
static char *subs_one(const struct sel_subs *s, const char *path)
{
	for (size_t i = 0; s && i < s->n; i++) {
		size_t len = strlen(s->from[i]);

		if (strncmp(path, s->from[i], len) != 0 || (path[len] != '/' && path[len] != '\0'))
			continue;
		size_t tl = strlen(s->to[i]), rl = strlen(path + len);
		char *r = malloc(tl + rl + 1);

		if (r) {
			memcpy(r, s->to[i], tl);
			memcpy(r + tl, path + len, rl + 1);
		}
		return r ? r : (char *)-1;
	}
	return NULL;
}

char *sel_subs_apply(const struct sel_subs *local, const struct sel_subs *dist,
		     const char *path)
{
	char *a = subs_one(local, path), *b;

	if (a == (char *)-1)
		return NULL;
	b = subs_one(dist, a ? a : path);
	if (b == (char *)-1) {
		free(a);
		return NULL;
	}
	if (b) {
		free(a);
		return b;
	}
	return a ? a : strdup(path);
}

/* ---------------------------------------------------------------- naming */

static bool valid_type_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 120 || !islower((unsigned char)s[0]) || strcmp(s + n - 2, "_t") != 0)
		return false;
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? NULL : s;
}

/* Directories whose programs are the system's: relabelling them would take
 * bin_t away from every other domain, so they stay as they are and the job
 * domain does not execute them (compared after the aliases). */
static bool is_system_dir(const char *canon)
{
	static const char *const sys[] = {
		"/", "/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/libexec",
		"/usr/share", "/usr/local", "/usr/local/bin", "/usr/local/sbin",
		"/usr/local/share", "/usr/local/libexec", "/etc", "/opt", "/var",
		"/home", "/root", "/boot", "/dev", "/proc", "/sys", "/run", "/tmp",
		"/var/tmp", "/srv",
	};
	size_t n = strlen(canon);

	while (n > 1 && canon[n - 1] == '/')
		n--;
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
		if (strlen(sys[i]) == n && strncmp(sys[i], canon, n) == 0)
			return true;
	return false;
}

bool sel_group_wanted(const struct plan_group *g)
{
	return g->plan.allow && g->plan.mode != CG_MODE_OFF;
}

int sel_domain_prepare(struct sel_domain *d, const struct plan_group *g,
		       const struct sel_subs *local, const struct sel_subs *dist,
		       bool permissive)
{
	const struct cg_plan *p = &g->plan;

	memset(d, 0, sizeof(*d));
	d->group = g;
	/* complain mode: the domain logs what it would deny */
	d->permissive = permissive || p->mode == CG_MODE_COMPLAIN;
	if (p->selinux) {
		if (!valid_type_name(p->selinux)) {
			fprintf(stderr, "cronguard: selinux = %s: a type name is lower case letters, "
				"digits and '_' and ends in _t\n", p->selinux);
			return -1;
		}
		d->domain = strdup(p->selinux);
	} else {
		/* cronguard_<first user>_t: stable across runs while that user keeps
		 * the plan; characters a type name cannot hold become '_' */
		char *u = xasprintf("cronguard_%s_t", g->users[0]);

		for (char *c = u; c && *c; c++) {
			if (!isalnum((unsigned char)*c) && *c != '_')
				*c = '_';
			else
				*c = (char)tolower((unsigned char)*c);
		}
		d->domain = u;
	}
	if (!d->domain)
		goto oom;
	size_t base = strlen(d->domain) - 2;

	d->module = strndup(d->domain, base);
	d->script = xasprintf("%.*s_script_t", (int)base, d->domain);
	if (!d->module || !d->script)
		goto oom;
	if (strcmp(d->module, "cronguard") == 0) {
		fprintf(stderr, "cronguard: %s: the name of the base module\n", d->domain);
		return -1;
	}
	if (!p->exec_set)
		return 0;
	d->dirs = calloc(p->exec.n ? p->exec.n : 1, sizeof(*d->dirs));
	d->system = calloc(p->exec.n ? p->exec.n : 1, sizeof(*d->system));
	if (!d->dirs || !d->system)
		goto oom;
	for (size_t i = 0; i < p->exec.n; i++) {
		const char *e = p->exec.v[i];
		char *c = sel_subs_apply(local, dist, e);

		if (!c)
			goto oom;
		if (is_system_dir(c)) {
			free(c);
			d->system[d->nsystem++] = e;
			continue;
		}
		for (const char *q = c; *q; q++)
			if (isspace((unsigned char)*q) || *q == '"') {
				fprintf(stderr, "cronguard: exec %s: a path with white space or "
					"quotes cannot be written to a file context\n", e);
				free(c);
				return -1;
			}
		d->dirs[d->ndirs].path = strdup(e);
		d->dirs[d->ndirs].canon = c;
		if (!d->dirs[d->ndirs].path)
			goto oom;
		d->ndirs++;
	}
	return 0;
oom:
	fprintf(stderr, "cronguard: out of memory\n");
	return -1;
}

void sel_domain_free(struct sel_domain *d)
{
	for (size_t i = 0; i < d->ndirs; i++) {
		free(d->dirs[i].path);
		free(d->dirs[i].canon);
	}
	free(d->dirs);
	free(d->system);
	free(d->module);
	free(d->domain);
	free(d->script);
	memset(d, 0, sizeof(*d));
}

/* ---------------------------------------------------------------- features */

enum feat {
	F_READ_ALL, F_READ_USR, F_READ_VAR, F_READ_HOME,
	F_WRITE_HOME, F_WRITE_TMP, F_WRITE_VAR, F_WRITE_LOG, F_WRITE_RUN,
	F_NET_ANY, F_TCP_CONNECT_ALL, F_TCP_CONNECT_UNRESERVED, F_TCP_CONNECT_HTTP,
	F_TCP_CONNECT_SMTP, F_TCP_CONNECT_DNS, F_TCP_BIND_ALL, F_TCP_BIND_UNRESERVED,
	F_UDP, F_COUNT
};

/* The base module's attribute for each feature (selinux-policy/cronguard.te). */
static const char *const feat_attr[F_COUNT] = {
	"cronguard_job_read_all", "cronguard_job_read_usr", "cronguard_job_read_var",
	"cronguard_job_read_home", "cronguard_job_write_home", "cronguard_job_write_tmp",
	"cronguard_job_write_var", "cronguard_job_write_log", "cronguard_job_write_run",
	"cronguard_job_net_any", "cronguard_job_tcp_connect_all",
	"cronguard_job_tcp_connect_unreserved", "cronguard_job_tcp_connect_http",
	"cronguard_job_tcp_connect_smtp", "cronguard_job_tcp_connect_dns",
	"cronguard_job_tcp_bind_all", "cronguard_job_tcp_bind_unreserved", "cronguard_job_udp",
};

struct feats {
	bool on[F_COUNT];
	const char *why[F_COUNT];     /* the plan entry that asked for it */
	const char *unmapped[64];     /* read/write entries no type covers */
	size_t nunmapped;
};

static bool under(const char *path, const char *dir)
{
	return cg_path_under(path, dir);
}

static void feat_on(struct feats *f, enum feat k, const char *why)
{
	if (!f->on[k]) {
		f->on[k] = true;
		f->why[k] = why;
	}
}

static void unmapped(struct feats *f, const char *path)
{
	if (f->nunmapped < sizeof(f->unmapped) / sizeof(f->unmapped[0]))
		f->unmapped[f->nunmapped++] = path;
}

static bool is_home(const struct cg_plan *p, const char *path)
{
	return (p->id.home && strcmp(p->id.home, "/") != 0 && under(path, p->id.home)) ||
	       under(path, "/home") || under(path, "/root");
}

static void map_ports(struct feats *f, const struct cg_port_list *l, bool bind)
{
	for (size_t i = 0; i < l->n; i++) {
		unsigned lo = l->v[i].lo, hi = l->v[i].hi;

		if (bind) {
			/* ports below 1024 carry named types: only "all" covers them */
			feat_on(f, lo < 1024 ? F_TCP_BIND_ALL : F_TCP_BIND_UNRESERVED, "network");
			continue;
		}
		for (unsigned port = lo; port <= hi; port++) {
			if (port == 80 || port == 443)
				feat_on(f, F_TCP_CONNECT_HTTP, "network");
			else if (port == 25 || port == 465 || port == 587)
				feat_on(f, F_TCP_CONNECT_SMTP, "network");
			else if (port == 53)
				feat_on(f, F_TCP_CONNECT_DNS, "network");
			else {
				/* the policy's port types are not known here: any other
				 * port needs every port type; the module's Landlock rules
				 * keep the port list exact */
				feat_on(f, F_TCP_CONNECT_ALL, "network");
				break;
			}
			if (port == UINT16_MAX)
				break;
		}
	}
}

static void plan_feats(const struct cg_plan *p, struct feats *f)
{
	memset(f, 0, sizeof(*f));
	if (!p->read_set)
		feat_on(f, F_READ_ALL, "read (unset: unconfined)");
	for (size_t i = 0; p->read_set && i < p->read.n; i++) {
		const char *r = p->read.v[i];

		if (is_home(p, r))
			feat_on(f, F_READ_HOME, r);
		else if (under(r, "/usr"))
			feat_on(f, F_READ_USR, r);
		else if (under(r, "/var"))
			feat_on(f, F_READ_VAR, r);
		else if (!under(r, "/etc"))     /* /etc: every job domain reads etc_t */
			unmapped(f, r);
	}
	for (size_t i = 0; p->write_set && i < p->write.n; i++) {
		const char *w = p->write.v[i];

		if (strcmp(w, "/dev/null") == 0)
			continue;               /* every job domain has it */
		if (is_home(p, w))
			feat_on(f, F_WRITE_HOME, w);
		else if (under(w, "/tmp") || under(w, "/var/tmp"))
			feat_on(f, F_WRITE_TMP, w);
		else if (under(w, "/var/log"))
			feat_on(f, F_WRITE_LOG, w);
		else if (under(w, "/run") || under(w, "/var/run"))
			feat_on(f, F_WRITE_RUN, w);
		else if (strcmp(w, "/var") == 0) {
			/* all of /var: its generic files, logs, temporary files */
			feat_on(f, F_WRITE_VAR, w);
			feat_on(f, F_WRITE_LOG, w);
			feat_on(f, F_WRITE_TMP, w);
		} else if (under(w, "/var"))
			feat_on(f, F_WRITE_VAR, w);
		else
			unmapped(f, w);
	}
	if (!p->write_set)
		unmapped(f, "write (unset: no write list; only the listed types are granted)");
	if (p->network.any) {
		feat_on(f, F_NET_ANY, "network = any");
		return;
	}
	map_ports(f, &p->network.connect, false);
	map_ports(f, &p->network.bind, true);
	if (p->network.udp)
		feat_on(f, F_UDP, "network udp");
}

static bool has_network(const struct feats *f)
{
	for (int k = F_NET_ANY; k <= F_UDP; k++)
		if (f->on[k])
			return true;
	return false;
}

/* Capability names as SELinux spells them: capability for 0..31,
 * capability2 above. */
static int put_caps(FILE *out, uint64_t caps, bool cap2, const char *sep)
{
	int n = 0;

	for (int c = cap2 ? 32 : 0; c <= (cap2 ? 63 : 31) && c <= cg_cap_last(); c++) {
		const char *name = cg_cap_name(c);

		if (!(caps & (UINT64_C(1) << c)) || !name)
			continue;
		if (strncmp(name, "CAP_", 4) == 0)
			name += 4;
		fputs(n++ ? sep : "", out);
		for (const char *q = name; *q; q++)
			fputc(tolower((unsigned char)*q), out);
	}
	return n;
}

static bool has_caps(uint64_t caps, bool cap2)
{
	return cap2 ? (caps >> 32) != 0 : (caps & 0xffffffffu) != 0;
}

/* A path as a file_contexts regular expression matching exactly it. */
static void put_regex(FILE *out, const char *path)
{
	for (const char *q = path; *q; q++) {
		if (strchr(".^$?*+|[](){}\\", *q))
			fputc('\\', out);
		fputc(*q, out);
	}
}

static void put_header(FILE *out, const struct sel_domain *d, const char *policy_file,
		       const char *c)
{
	const struct plan_group *g = d->group;

	fprintf(out, "%s Generated by `cronguard gen selinux` from %s.\n"
		"%s Do not edit: change the policy and generate again.\n%s\n"
		"%s Job domain %s for the cron jobs of:", c, policy_file, c, c, c, d->domain);
	for (size_t i = 0; i < g->nusers; i++)
		fprintf(out, " %s", g->users[i]);
	fprintf(out, "\n%s Entered only by executing a script labelled %s.\n", c, d->script);
	for (size_t i = 0; i < d->ndirs; i++) {
		fprintf(out, "%s   exec %s", c, d->dirs[i].path);
		if (strcmp(d->dirs[i].path, d->dirs[i].canon) != 0)
			fprintf(out, " (labelled as %s: file_contexts.subs_dist alias)", d->dirs[i].canon);
		fputc('\n', out);
	}
	for (size_t i = 0; i < d->nsystem; i++)
		fprintf(out, "%s   exec %s: a system directory, left as it is: the domain "
			"executes none of its programs\n", c, d->system[i]);
	if (!g->plan.exec_set)
		fprintf(out, "%s   no exec list: no script directory is labelled\n", c);
	fprintf(out, "%s It may execute without a transition only these scripts and the shell;\n"
		"%s it transitions to no other domain.\n", c, c);
}

/* ---------------------------------------------------------------- refpolicy */

int sel_render_te(FILE *out, const struct sel_domain *d, const char *policy_file)
{
	const struct cg_plan *p = &d->group->plan;
	struct feats f;
	bool any = false;

	plan_feats(p, &f);
	put_header(out, d, policy_file, "#");
	fprintf(out, "\npolicy_module(%s, 1.0.0)\n\n", d->module);
	for (int k = 0; k < F_COUNT; k++)
		any |= f.on[k];
	if (any) {
		fputs("gen_require(`\n", out);
		for (int k = 0; k < F_COUNT; k++)
			if (f.on[k])
				fprintf(out, "\tattribute %s;\n", feat_attr[k]);
		fputs("')\n\n", out);
	}
	fprintf(out, "type %s;\ntype %s;\ncronguard_script_type(%s)\n"
		"cronguard_job_domain(%s, %s)\n", d->domain, d->script, d->script,
		d->domain, d->script);
	if (d->permissive)
		fprintf(out, "# permissive: %s\npermissive %s;\n",
			p->mode == CG_MODE_COMPLAIN ? "the plan's mode is complain" : "--permissive",
			d->domain);
	fputc('\n', out);
	for (int k = 0; k < F_COUNT; k++)
		if (f.on[k])
			fprintf(out, "# %s\ntypeattribute %s %s;\n", f.why[k], d->domain, feat_attr[k]);
	if (!has_network(&f))
		fputs("# network = none: no inet socket\n", out);
	for (size_t i = 0; i < f.nunmapped; i++)
		fprintf(out, "# not granted, no type maps it: %s\n", f.unmapped[i]);
	for (int cap2 = 0; cap2 <= 1; cap2++) {
		if (!has_caps(p->capabilities, cap2))
			continue;
		fprintf(out, "# capabilities a root job keeps\nallow %s self:%s { ",
			d->domain, cap2 ? "capability2" : "capability");
		put_caps(out, p->capabilities, cap2, " ");
		fputs(" };\n", out);
	}
	return ferror(out) ? -1 : 0;
}

int sel_render_fc(FILE *out, const struct sel_domain *d)
{
	fprintf(out, "# %s: the whitelisted scripts of %s (canonical paths:\n"
		"# file_contexts.subs_dist aliases never match in a .fc line).  The exact\n"
		"# path and PATH/.* are more specific than a stock PATH(/.*)? line.\n",
		d->script, d->domain);
	for (size_t i = 0; i < d->ndirs; i++) {
		put_regex(out, d->dirs[i].canon);
		fprintf(out, "\t\tgen_context(system_u:object_r:%s,s0)\n", d->script);
		put_regex(out, d->dirs[i].canon);
		fprintf(out, "/.*\t\tgen_context(system_u:object_r:%s,s0)\n", d->script);
	}
	return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------- CIL */

/* What the refpolicy macros expand to (domtrans_pattern, domain_type,
 * files_type, can_exec), so that the CIL module is the same policy. */
static void cil_domtrans(FILE *out, const char *ind, const char *src, const struct sel_domain *d)
{
	fprintf(out,
		"%s(allow %s %s (file (ioctl read getattr map execute open)))\n"
		"%s(allow %s %s (process (transition)))\n"
		"%s(dontaudit %s %s (process (noatsecure siginh rlimitinh)))\n"
		"%s(typetransition %s %s process %s)\n"
		"%s(allow %s %s (fd (use)))\n"
		"%s(allow %s %s (fifo_file (ioctl read write getattr lock append)))\n"
		"%s(allow %s %s (process (sigchld)))\n",
		ind, src, d->script, ind, src, d->domain, ind, src, d->domain,
		ind, src, d->script, d->domain, ind, d->domain, src, ind, d->domain, src,
		ind, d->domain, src);
}

int sel_render_cil(FILE *out, const struct sel_domain *d, const char *policy_file)
{
	static const struct { const char *type, *role, *opt; } from_user[] = {
		{ "cronjob_t", "user_r", "cronjob" },
		{ "unconfined_cronjob_t", "unconfined_r", "unconfined_cronjob" },
		{ "unconfined_t", "unconfined_r", "unconfined" },
		{ "user_t", "user_r", "user" },
		{ "staff_t", "staff_r", "staff" },
	};
	const struct cg_plan *p = &d->group->plan;
	const char *D = d->domain, *S = d->script;
	struct feats f;

	plan_feats(p, &f);
	put_header(out, d, policy_file, ";");
	fprintf(out, "; The same rules as the refpolicy form (the base module's interfaces\n"
		"; expanded); needs the base module cronguard.\n\n");
	fprintf(out, "(type %s)\n(roletype object_r %s)\n(type %s)\n(roletype object_r %s)\n",
		D, D, S, S);
	fprintf(out, "; cronguard_script_type\n"
		"(typeattributeset cronguard_script_file (%s))\n"
		"(typeattributeset file_type (%s))\n"
		"(typeattributeset non_security_file_type (%s))\n"
		"(typeattributeset non_auth_file_type (%s))\n", S, S, S, S);
	fprintf(out, "; cronguard_job_domain\n"
		"(typeattributeset domain (%s))\n"
		"(typeattributeset cronguard_domain (%s))\n"
		"(roletype system_r %s)\n"
		"(allow %s %s (file (entrypoint)))\n", D, D, D, D, S);
	cil_domtrans(out, "", "system_cronjob_t", d);
	cil_domtrans(out, "", "crond_t", d);
	fprintf(out,
		"(allow %s %s (file (ioctl read getattr lock map execute open execute_no_trans)))\n"
		"(allow %s %s (dir (ioctl read getattr lock open search)))\n"
		"(allow %s %s (lnk_file (read getattr)))\n", D, S, D, S, D, S);
	/* domain_type()'s optional parts */
	fprintf(out,
		"(optional %s_init\n    (allow %s init_t (process (sigchld)))\n"
		"    (allow %s init_t (process (signull)))\n)\n"
		"(optional %s_rpm\n    (allow %s rpm_t (fd (use)))\n"
		"    (allow %s rpm_t (fifo_file (ioctl read getattr lock open)))\n)\n"
		"(optional %s_security\n"
		"    (dontaudit %s security_t (filesystem (getattr)))\n"
		"    (dontaudit %s sysfs_t (filesystem (getattr)))\n"
		"    (dontaudit %s sysfs_t (dir (getattr open search)))\n"
		"    (dontaudit %s security_t (dir (getattr open search)))\n"
		"    (dontaudit %s security_t (file (ioctl read getattr lock open)))\n)\n"
		"(optional %s_selinux_config\n"
		"    (dontaudit %s selinux_config_t (dir (getattr open search)))\n"
		"    (dontaudit %s selinux_config_t (file (ioctl read getattr lock open)))\n)\n",
		d->module, D, D, d->module, D, D, d->module, D, D, D, D, D,
		d->module, D, D);
	fputs("; user cron jobs and login domains, where the policy has them\n", out);
	for (size_t i = 0; i < sizeof(from_user) / sizeof(from_user[0]); i++) {
		fprintf(out, "(optional %s_from_%s\n    (roletype %s %s)\n", d->module,
			from_user[i].opt, from_user[i].role, D);
		cil_domtrans(out, "    ", from_user[i].type, d);
		fputs(")\n", out);
	}
	if (d->permissive)
		fprintf(out, "; permissive: %s\n(typepermissive %s)\n",
			p->mode == CG_MODE_COMPLAIN ? "the plan's mode is complain" : "--permissive", D);
	for (int k = 0; k < F_COUNT; k++)
		if (f.on[k])
			fprintf(out, "; %s\n(typeattributeset %s (%s))\n", f.why[k], feat_attr[k], D);
	if (!has_network(&f))
		fputs("; network = none: no inet socket\n", out);
	for (size_t i = 0; i < f.nunmapped; i++)
		fprintf(out, "; not granted, no type maps it: %s\n", f.unmapped[i]);
	for (int cap2 = 0; cap2 <= 1; cap2++) {
		if (!has_caps(p->capabilities, cap2))
			continue;
		fprintf(out, "; capabilities a root job keeps\n(allow %s self (%s (", D,
			cap2 ? "capability2" : "capability");
		put_caps(out, p->capabilities, cap2, " ");
		fputs(")))\n", out);
	}
	for (size_t i = 0; i < d->ndirs; i++) {
		fputs("(filecon \"", out);
		put_regex(out, d->dirs[i].canon);
		fprintf(out, "\" any (system_u object_r %s ((s0) (s0))))\n(filecon \"", S);
		put_regex(out, d->dirs[i].canon);
		fprintf(out, "/.*\" any (system_u object_r %s ((s0) (s0))))\n", S);
	}
	return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------- build.sh */

/* Single-quoted for the shell. */
static void put_sh(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	fputc('\'', out);
}

int sel_render_build(FILE *out, const struct sel_domain *v, size_t n, bool cil,
		     const char *base_dir)
{
	fputs("#!/bin/sh\n"
	      "# Generated by `cronguard gen selinux`: build, install and relabel.\n"
	      "#   ./build.sh               build the modules, install them, relabel the\n"
	      "#                            script directories\n"
	      "#   ./build.sh --build-only  only build (no root needed)\n"
	      "# The base module comes from $CRONGUARD_SELINUX_BASE (its cronguard.te,\n"
	      "# .if and .fc), unless this directory already has them.\n"
	      "set -eu\n"
	      "cd \"$(dirname \"$0\")\"\n"
	      "BASE=${CRONGUARD_SELINUX_BASE:-", out);
	put_sh(out, base_dir);
	fputs("}\n"
	      "for f in cronguard.te cronguard.if cronguard.fc; do\n"
	      "\t[ -e \"$f\" ] || cp -- \"$BASE/$f\" .\n"
	      "done\n"
	      "make -f /usr/share/selinux/devel/Makefile cronguard.pp", out);
	for (size_t i = 0; i < n && !cil; i++)
		fprintf(out, " %s.pp", v[i].module);
	fputs("\n[ \"${1:-}\" = --build-only ] && exit 0\n"
	      "semodule -i cronguard.pp", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, " -i %s.%s", v[i].module, cil ? "cil" : "pp");
	fputc('\n', out);
	size_t ndirs = 0;

	for (size_t i = 0; i < n; i++)
		ndirs += v[i].ndirs;
	if (ndirs) {
		/* the paths as they are on disk; -i: one not created yet is skipped */
		fputs("restorecon -R -i -v", out);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < v[i].ndirs; j++) {
				fputc(' ', out);
				put_sh(out, v[i].dirs[j].path);
			}
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}
