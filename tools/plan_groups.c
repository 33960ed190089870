/* plan_groups.c - see plan_groups.h. */
#include "plan_groups.h"
#include "tool_common.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int add_user(struct plan_groups *g, const struct cg_policy *pol, const char *user)
{
	struct cg_plan plan;

	if (tool_resolve_user(pol, user, &plan) < 0)
		return -1;
	for (size_t i = 0; i < g->n; i++) {
		struct plan_group *pg = &g->v[i];

		if (!cg_plan_mac_equal(&pg->plan, &plan))
			continue;
		const char **u = realloc(pg->users, (pg->nusers + 1) * sizeof(*u));

		if (!u)
			goto oom;
		pg->users = u;
		pg->users[pg->nusers] = cg_arena_strdup(&pg->plan.arena, user);
		if (!pg->users[pg->nusers])
			goto oom;
		pg->nusers++;
		cg_plan_free(&plan);
		return 0;
	}
	struct plan_group *v = realloc(g->v, (g->n + 1) * sizeof(*v));

	if (!v)
		goto oom;
	g->v = v;
	memset(&v[g->n], 0, sizeof(v[g->n]));
	v[g->n].plan = plan;
	v[g->n].users = malloc(sizeof(*v[g->n].users));
	if (!v[g->n].users) {
		g->n++;
		return -1;
	}
	v[g->n].users[0] = plan.id.user;
	v[g->n].nusers = 1;
	g->n++;
	return 0;
oom:
	fprintf(stderr, "cronguard: out of memory\n");
	cg_plan_free(&plan);
	return -1;
}

int plan_groups_build(const struct cg_policy *pol, const char *const *users, size_t nusers,
		      struct plan_groups *out)
{
	memset(out, 0, sizeof(*out));
	if (users) {
		for (size_t i = 0; i < nusers; i++)
			if (add_user(out, pol, users[i]) < 0)
				goto fail;
	} else {
		struct passwd *pw;
		char **names = NULL;
		size_t n = 0;

		setpwent();
		while ((pw = getpwent()) != NULL) {
			char **nn = realloc(names, (n + 1) * sizeof(*nn));

			if (!nn || !(nn[n] = strdup(pw->pw_name))) {
				free(nn ? nn : names);
				endpwent();
				fprintf(stderr, "cronguard: out of memory\n");
				goto fail_names;
			}
			names = nn;
			n++;
		}
		endpwent();
		/* Resolve after the enumeration: lookups inside it would reset getpwent. */
		for (size_t i = 0; i < n; i++) {
			if (add_user(out, pol, names[i]) < 0) {
				for (size_t j = 0; j < n; j++)
					free(names[j]);
				free(names);
				goto fail;
			}
		}
		for (size_t j = 0; j < n; j++)
			free(names[j]);
		free(names);
	}
	for (size_t i = 0; i < out->n; i++)
		qsort(out->v[i].users, out->v[i].nusers, sizeof(char *), cmp_str);
	return 0;
fail_names:
fail:
	plan_groups_free(out);
	return -1;
}

void plan_groups_free(struct plan_groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].users);
		cg_plan_free(&g->v[i].plan);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}
