/* plan_resolve.c - policy + identity -> plan.
 *
 * Pure: no system calls.  The identity was looked up before (identity.c). */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's list of variables unsafe for setuid programs (unsecvars.h) and
 * sudo's initial bad-environment table, minus TMPDIR, which jobs set for
 * good reasons and which grants no code execution by itself. */
static const char *const default_env_deny[] = {
	"LD_*", "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES",
	"LOCALDOMAIN", "LOCPATH", "MALLOC_*", "NIS_PATH", "NLSPATH",
	"RESOLV_HOST_CONF", "RES_OPTIONS", "TZDIR", "IFS", "CDPATH", "ENV",
	"BASH_ENV", "BASH_FUNC_*", "BASHOPTS", "SHELLOPTS", "PS4", "GLOBIGNORE",
	"FPATH", "NULLCMD", "READNULLCMD", "ZDOTDIR", "TMPPREFIX", "PATH_LOCALE",
	"_RLD*", "SHLIB_PATH", "LDR_*", "LIBPATH", "DYLD_*", "KRB5_CONFIG",
	"KRB5_KTNAME", "TERMINFO", "TERMINFO_DIRS", "TERMPATH", "TERMCAP",
	"JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "PERLIO_DEBUG", "PERLLIB",
	"PERL5LIB", "PERL5OPT", "PERL5DB", "PYTHONHOME", "PYTHONPATH",
	"PYTHONINSPECT", "PYTHONSTARTUP", "PYTHONUSERBASE", "RUBYLIB", "RUBYOPT",
	"NODE_OPTIONS", "NODE_PATH", "GIT_*", "SSLKEYLOGFILE", "OPENSSL_CONF",
};

static const char *const default_interpreters[] = {
	"/bin/sh", "/usr/bin/sh", "/bin/dash", "/usr/bin/dash",
	"/bin/bash", "/usr/bin/bash",
};

static const char *const default_path[] = {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void builtin_defaults(struct cg_plan *p)
{
	p->mode = CG_MODE_ENFORCE;
	p->allow = true;
	p->network.any = true;
	p->capabilities = cg_cap_last() >= 63 ? UINT64_MAX
			  : (UINT64_C(1) << (cg_cap_last() + 1)) - 1;
	p->env_deny.v = default_env_deny;
	p->env_deny.n = N(default_env_deny);
	p->interpreters.v = default_interpreters;
	p->interpreters.n = N(default_interpreters);
	p->path.v = default_path;
	p->path.n = N(default_path);
	p->umask = -1;
	p->mail = true;
}

/* An AppArmor profile or SELinux type after %u expansion: the characters the
 * parser allows in the raw name (policy_values.c) plus the '%' of "%%".  A
 * user name from NSS (LDAP, sssd) may hold anything; a blank, quote or
 * newline must not reach a generated profile or a change_profile call. */
static const char *name_check(const char *s)
{
	if (!*s)
		return "empty name";
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("_.-/@+%", *c)))
			return "character not allowed in a name";
	return NULL;
}

/* Expands %u, %% and a leading ~ (home).  NULL on error with *why set. */
static const char *expand(struct cg_arena *a, const char *raw, const struct cg_identity *id,
			  bool is_path, const char **why)
{
	size_t ulen = strlen(id->user), hlen = strlen(id->home), n = 0;
	size_t cap = strlen(raw) + 1 + hlen;
	const char *p = raw;
	char *out;

	for (const char *c = raw; *c; c++)
		if (c[0] == '%' && c[1] == 'u')
			cap += ulen;
	out = cg_arena_alloc(a, cap);
	if (!out) {
		*why = "out of memory";
		return NULL;
	}
	if (is_path && *p == '~') {
		if (strcmp(id->home, "/") != 0 || p[1] == '\0') {
			memcpy(out, id->home, hlen);
			n = hlen;
		}
		p++;
	}
	for (; *p; p++) {
		if (p[0] == '%' && p[1] == 'u') {
			memcpy(out + n, id->user, ulen);
			n += ulen;
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			out[n++] = '%';
			p++;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	*why = is_path ? cg_path_check(out, true) : name_check(out);
	return *why ? NULL : out;
}

static bool needs_expansion(const char *s)
{
	return s[0] == '~' || strchr(s, '%');
}

/* dst = (append ? dst : empty) + src, expanded, without repeats. */
static int merge_list(struct cg_plan *p, struct cg_strlist *dst, const struct cg_entry *e,
		      bool is_path, struct cg_diags *d)
{
	const struct cg_strlist *src = &e->value.list;
	size_t base = e->append ? dst->n : 0;
	const char **v = cg_arena_alloc(&p->arena, (base + src->n + 1) * sizeof(*v));
	size_t n = base;

	if (!v) {
		cg_diag_error(d, e->file, e->line, "out of memory");
		return -1;
	}
	if (base)
		memcpy(v, dst->v, base * sizeof(*v));
	for (size_t i = 0; i < src->n; i++) {
		const char *s = src->v[i], *why = NULL;

		if (is_path && needs_expansion(s)) {
			s = expand(&p->arena, s, &p->id, true, &why);
			if (!s) {
				cg_diag_error(d, e->file, e->line,
					      "'%s' expands to a bad path for user %s: %s",
					      src->v[i], p->id.user, why);
				return -1;
			}
		} else if (!(s = cg_arena_strdup(&p->arena, s))) {
			/* The plan owns all its memory (plan.h): it outlives
			 * the policy it was resolved from. */
			cg_diag_error(d, e->file, e->line, "out of memory");
			return -1;
		}
		bool dup = false;

		for (size_t j = 0; j < n && !dup; j++)
			dup = strcmp(v[j], s) == 0;
		if (!dup)
			v[n++] = s;
	}
	dst->v = v;
	dst->n = n;
	return 0;
}

static int merge_ports(struct cg_arena *a, struct cg_port_list *dst,
		       const struct cg_port_list *src)
{
	struct cg_port_range *v;

	if (!src->n)
		return 0;
	v = cg_arena_alloc(a, (dst->n + src->n) * sizeof(*v));
	if (!v)
		return -1;
	if (dst->n)
		memcpy(v, dst->v, dst->n * sizeof(*v));
	memcpy(v + dst->n, src->v, src->n * sizeof(*v));
	dst->v = v;
	dst->n += src->n;
	return 0;
}

static int apply_entry(struct cg_plan *p, const struct cg_entry *e, struct cg_diags *d)
{
	const struct cg_value *v = &e->value;
	const char *why = NULL;

	switch (e->key) {
	case CG_KEY_MODE: p->mode = v->mode; break;
	case CG_KEY_ALLOW: p->allow = v->b; break;
	case CG_KEY_STRICT: p->strict = v->b; break;
	case CG_KEY_EXEC:
		p->exec_set = true;
		return merge_list(p, &p->exec, e, true, d);
	case CG_KEY_INTERPRETERS:
		return merge_list(p, &p->interpreters, e, true, d);
	case CG_KEY_READ:
		p->read_set = true;
		return merge_list(p, &p->read, e, true, d);
	case CG_KEY_WRITE:
		p->write_set = true;
		return merge_list(p, &p->write, e, true, d);
	case CG_KEY_PATH:
		return merge_list(p, &p->path, e, true, d);
	case CG_KEY_ENV_DENY:
		return merge_list(p, &p->env_deny, e, false, d);
	case CG_KEY_ENV_SET:
		return merge_list(p, &p->env_set, e, false, d);
	case CG_KEY_NETWORK:
		if (!e->append) {
			memset(&p->network, 0, sizeof(p->network));
			p->network.any = v->net.any;
		}
		p->network.udp |= v->net.udp;
		if (merge_ports(&p->arena, &p->network.connect, &v->net.connect) ||
		    merge_ports(&p->arena, &p->network.bind, &v->net.bind)) {
			cg_diag_error(d, e->file, e->line, "out of memory");
			return -1;
		}
		break;
	case CG_KEY_CAPABILITIES:
		p->capabilities = e->append ? p->capabilities | v->caps : v->caps;
		break;
	case CG_KEY_NO_NEW_PRIVS: p->no_new_privs = v->b; break;
	case CG_KEY_PRIVATE_TMP: p->private_tmp = v->b; break;
	case CG_KEY_PROTECT_SYSTEM: p->protect_system = v->b; break;
	case CG_KEY_SCOPE: {
		int flags = (e->append ? (p->scope_signals ? CG_SCOPE_SIGNALS : 0) |
			     (p->scope_abstract_unix ? CG_SCOPE_ABSTRACT_UNIX : 0) : 0) | v->i;

		p->scope_signals = flags & CG_SCOPE_SIGNALS;
		p->scope_abstract_unix = flags & CG_SCOPE_ABSTRACT_UNIX;
		break;
	}
	case CG_KEY_UMASK: p->umask = v->i; break;
	case CG_KEY_NICE:
		p->nice_set = true;
		p->nice = v->i;
		break;
	case CG_KEY_LIMIT:
		p->limits[e->resource] = v->limit;
		break;
	case CG_KEY_APPARMOR:
	case CG_KEY_SELINUX:
	case CG_KEY_MANIFEST: {
		const char *s = v->str;

		if (s && needs_expansion(s)) {
			s = expand(&p->arena, s, &p->id, e->key == CG_KEY_MANIFEST, &why);
			if (!s) {
				cg_diag_error(d, e->file, e->line,
					      "'%s' expands to a bad value for user %s: %s",
					      v->str, p->id.user, why);
				return -1;
			}
		} else if (s && !(s = cg_arena_strdup(&p->arena, s))) {
			cg_diag_error(d, e->file, e->line, "out of memory");
			return -1;
		}
		if (e->key == CG_KEY_APPARMOR)
			p->apparmor = s;
		else if (e->key == CG_KEY_SELINUX)
			p->selinux = s;
		else
			p->manifest = s;
		break;
	}
	case CG_KEY_MAIL: p->mail = v->b; break;
	case CG_KEY_COUNT: break;
	}
	return 0;
}

static bool section_applies(const struct cg_section *s, enum cg_section_kind kind,
			    const struct cg_identity *id)
{
	if (s->kind != kind)
		return false;
	if (kind == CG_SEC_DEFAULT)
		return true;
	if (kind == CG_SEC_USER)
		return strcmp(s->name, id->user) == 0;
	for (size_t i = 0; i < id->ngroups; i++)
		if (strcmp(s->name, id->groups[i]) == 0)
			return true;
	return false;
}

static int copy_identity(struct cg_plan *p, const struct cg_identity *id)
{
	struct cg_arena *a = &p->arena;

	p->id = *id;
	p->id.user = cg_arena_strdup(a, id->user);
	p->id.home = cg_arena_strdup(a, id->home ? id->home : "/");
	p->id.shell = cg_arena_strdup(a, id->shell ? id->shell : "");
	p->id.groups = cg_arena_alloc(a, (id->ngroups + 1) * sizeof(*p->id.groups));
	if (!p->id.user || !p->id.home || !p->id.shell || !p->id.groups)
		return -1;
	for (size_t i = 0; i < id->ngroups; i++)
		if (!(p->id.groups[i] = cg_arena_strdup(a, id->groups[i])))
			return -1;
	return 0;
}

int cg_resolve(const struct cg_policy *pol, const struct cg_identity *id,
	       struct cg_plan *plan, struct cg_diags *d)
{
	static const enum cg_section_kind order[] = { CG_SEC_DEFAULT, CG_SEC_GROUP, CG_SEC_USER };
	/* Origins name the policy's files; the plan keeps its own copy of
	 * each name (one per run of entries from the same file). */
	const char *file_src = NULL, *file_copy = NULL;

	memset(plan, 0, sizeof(*plan));
	builtin_defaults(plan);
	if (copy_identity(plan, id) < 0) {
		cg_diag_error(d, "(policy)", 0, "out of memory");
		return -1;
	}
	for (size_t o = 0; o < N(order); o++) {
		for (size_t si = 0; si < pol->n; si++) {
			const struct cg_section *s = &pol->sections[si];

			if (!section_applies(s, order[o], &plan->id))
				continue;
			for (size_t ei = 0; ei < s->n; ei++) {
				const struct cg_entry *e = &s->entries[ei];

				if (apply_entry(plan, e, d) < 0)
					return -1;
				if (e->file != file_src) {
					file_copy = cg_arena_strdup(&plan->arena, e->file);
					if (!file_copy) {
						cg_diag_error(d, e->file, e->line, "out of memory");
						return -1;
					}
					file_src = e->file;
				}
				struct cg_origin at = { file_copy, e->line };

				if (e->key == CG_KEY_LIMIT)
					plan->limit_origin[e->resource] = at;
				else
					plan->origin[e->key] = at;
			}
		}
	}
	return 0;
}

void cg_plan_free(struct cg_plan *plan)
{
	cg_arena_free(&plan->arena);
	memset(plan, 0, sizeof(*plan));
}
