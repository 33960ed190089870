/* plan_query.c - small questions every renderer asks of a plan. */
#include "plan.h"

#include <string.h>

const char *cg_mode_name(enum cg_mode m)
{
	switch (m) {
	case CG_MODE_ENFORCE: return "enforce";
	case CG_MODE_COMPLAIN: return "complain";
	case CG_MODE_OFF: return "off";
	}
	return "?";
}

bool cg_plan_network_confined(const struct cg_plan *p)
{
	return !p->network.any;
}

bool cg_ports_contains(const struct cg_port_list *l, uint16_t port)
{
	for (size_t i = 0; i < l->n; i++)
		if (port >= l->v[i].lo && port <= l->v[i].hi)
			return true;
	return false;
}

/* Glob match with * and ?; iterative with one backtrack point, so no
 * pattern can make it take more than O(len(pattern) * len(name)). */
bool cg_env_pattern_match(const char *pat, const char *name)
{
	const char *star = NULL, *resume = NULL;

	while (*name) {
		/* '*' first: a name holding a '*' must not match it literally
		 * and lose the backtrack point. */
		if (*pat == '*') {
			star = pat++;
			resume = name;
		} else if (*pat == '?' || *pat == *name) {
			pat++;
			name++;
		} else if (star) {
			pat = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

const char *cg_plan_env_denied(const struct cg_plan *p, const char *name)
{
	for (size_t i = 0; i < p->env_deny.n; i++)
		if (cg_env_pattern_match(p->env_deny.v[i], name))
			return p->env_deny.v[i];
	return NULL;
}

/* Plan paths are normalized; a trailing '/' on dir (a passwd home such as
 * "/home/x/", read by the audit) is tolerated. */
bool cg_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool cg_path_parent(const char *path, char *out, size_t size)
{
	const char *slash = path[0] == '/' ? strrchr(path, '/') : NULL;
	size_t n = slash == path ? 1 : slash ? (size_t)(slash - path) : 0;

	if (!n || n >= size)
		return false;
	memcpy(out, path, n);
	out[n] = '\0';
	return true;
}

const char *cg_strlist_find_prefix(const struct cg_strlist *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (cg_path_under(path, l->v[i]))
			return l->v[i];
	return NULL;
}
