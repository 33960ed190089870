/* plan_groups.h - resolve many users and group those with equal plans
 * (cg_plan_mac_equal), for the generators. */
#ifndef CG_PLAN_GROUPS_H
#define CG_PLAN_GROUPS_H

#include <stddef.h>

#include "plan.h"
#include "policy.h"

struct plan_group {
	struct cg_plan plan;          /* the plan of the group's first user */
	const char **users;           /* sorted by name */
	size_t nusers;
};

struct plan_groups {
	struct plan_group *v;
	size_t n;
};

/* Resolves each named user, or, when users is NULL, every account in the
 * password database; groups users whose plans are equal, in order of first
 * appearance.  Returns 0, or -1 after printing why. */
int plan_groups_build(const struct cg_policy *pol, const char *const *users, size_t nusers,
		      struct plan_groups *out);
void plan_groups_free(struct plan_groups *g);

#endif
