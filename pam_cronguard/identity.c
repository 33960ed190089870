/* identity.c - the user and group lookup a plan is resolved for.
 *
 * This is the only place the resolver's inputs touch the system (NSS). */
#include "plan.h"
#include "policy.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *grow_buf(char *buf, size_t *size)
{
	char *nb;

	if (*size > (1u << 24))
		return NULL;
	*size *= 2;
	nb = realloc(buf, *size);
	if (!nb)
		free(buf);
	return nb;
}

static int lookup(struct cg_arena *arena, const char *user, struct cg_identity *id,
		  bool with_groups)
{
	size_t size = 4096;
	char *buf = malloc(size);
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	gid_t *gids = NULL;
	int ngids = 32, rc, saved;

	memset(id, 0, sizeof(*id));
	if (!buf)
		return -1;
	while ((rc = getpwnam_r(user, &pw, buf, size, &pwp)) == ERANGE)
		if (!(buf = grow_buf(buf, &size)))
			return -1;
	if (rc != 0 || !pwp) {
		free(buf);
		errno = rc ? rc : ENOENT;
		return -1;
	}
	id->user = cg_arena_strdup(arena, pw.pw_name);
	id->home = cg_arena_strdup(arena, pw.pw_dir ? pw.pw_dir : "/");
	id->shell = cg_arena_strdup(arena, pw.pw_shell ? pw.pw_shell : "");
	id->uid = pw.pw_uid;
	id->gid = pw.pw_gid;
	if (!id->user || !id->home || !id->shell)
		goto oom;
	if (!with_groups) {
		free(buf);
		return 0;
	}

	for (;;) {
		gid_t *ng = realloc(gids, (size_t)ngids * sizeof(*gids));
		int want = ngids;

		if (!ng)
			goto oom;
		gids = ng;
		if (getgrouplist(id->user, id->gid, gids, &want) >= 0) {
			ngids = want;
			break;
		}
		if (want <= ngids || want > 65536) {
			errno = EOVERFLOW;
			goto fail;
		}
		ngids = want;
	}
	id->groups = cg_arena_alloc(arena, (size_t)ngids * sizeof(*id->groups));
	if (!id->groups)
		goto oom;
	for (int i = 0; i < ngids; i++) {
		while ((rc = getgrgid_r(gids[i], &gr, buf, size, &grp)) == ERANGE)
			if (!(buf = grow_buf(buf, &size)))
				goto oom;
		if (rc != 0 || !grp)
			continue;       /* a gid without a name cannot match a [group] */
		id->groups[id->ngroups] = cg_arena_strdup(arena, gr.gr_name);
		if (!id->groups[id->ngroups])
			goto oom;
		id->ngroups++;
	}
	free(gids);
	free(buf);
	return 0;
oom:
	errno = ENOMEM;
fail:
	saved = errno;
	free(gids);
	free(buf);
	errno = saved;
	return -1;
}

int cg_identity_lookup(struct cg_arena *arena, const char *user, struct cg_identity *id)
{
	return lookup(arena, user, id, true);
}

int cg_identity_lookup_opt(struct cg_arena *arena, const char *user, bool with_groups,
			   struct cg_identity *id)
{
	return lookup(arena, user, id, with_groups);
}

/* Group names only matter to match [group NAME] sections: a policy without
 * any (the shipped one) spares every job start the reads of /etc/group. */
bool cg_policy_has_groups(const struct cg_policy *pol)
{
	for (size_t i = 0; i < pol->n; i++)
		if (pol->sections[i].kind == CG_SEC_GROUP)
			return true;
	return false;
}

int cg_identity_lookup_for(struct cg_arena *arena, const char *user,
			   const struct cg_policy *pol, struct cg_identity *id)
{
	return lookup(arena, user, id, cg_policy_has_groups(pol));
}
