/* apply_session.c - umask, rlimits and nice: what the job and cron's own
 * mailer may both inherit (see apply.h).
 *
 * The module calls this in open_session, in cron's middle process; `cronguard
 * run` calls it in the child before cg_confine_job().  Nothing here can break
 * the mailer: these are the same kinds of limits pam_limits and pam_umask set. */
#include "apply.h"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy_keys.h"

static const char *limit_str(rlim_t v, char *buf, size_t size)
{
	if (v == RLIM_INFINITY)
		return "unlimited";
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

/* Sets exactly the soft and hard values the plan gives for one resource.
 * Lowering a hard limit is always allowed; raising it above the current hard
 * limit needs CAP_SYS_RESOURCE, so as an unprivileged caller that is a plan
 * this process cannot honour: log and fail rather than run with a different
 * limit than the plan says. */
static int set_limit(int res, const struct cg_limit *l, const struct cg_logger *log)
{
	const char *name = cg_limit_name(res);
	struct rlimit cur, want = { l->soft, l->hard };
	char b1[32], b2[32];

	if (getrlimit(res, &cur) < 0) {
		cg_logf(log, LOG_ERR, "getrlimit(%s): %m", name ? name : "?");
		return -1;
	}
	if (want.rlim_max != RLIM_INFINITY && want.rlim_cur > want.rlim_max)
		want.rlim_cur = want.rlim_max;  /* the parser forbids it; be safe */
	if (setrlimit(res, &want) < 0) {
		int e = errno;

		if (e == EPERM && (cur.rlim_max == RLIM_INFINITY ? false
				   : want.rlim_max == RLIM_INFINITY || want.rlim_max > cur.rlim_max))
			cg_logf(log, LOG_ERR,
				"limit.%s: hard limit %s is above the current %s and this "
				"process may not raise it (needs CAP_SYS_RESOURCE)",
				name ? name : "?", limit_str(want.rlim_max, b1, sizeof(b1)),
				limit_str(cur.rlim_max, b2, sizeof(b2)));
		else {
			errno = e;
			cg_logf(log, LOG_ERR, "setrlimit(%s, %s:%s): %m", name ? name : "?",
				limit_str(want.rlim_cur, b1, sizeof(b1)),
				limit_str(want.rlim_max, b2, sizeof(b2)));
		}
		return -1;
	}
	cg_logf(log, LOG_DEBUG, "limit.%s = %s:%s", name ? name : "?",
		limit_str(want.rlim_cur, b1, sizeof(b1)), limit_str(want.rlim_max, b2, sizeof(b2)));
	return 0;
}

int cg_apply_session(const struct cg_plan *p, const struct cg_logger *log)
{
	if (p->umask >= 0) {
		umask((mode_t)p->umask);
		cg_logf(log, LOG_DEBUG, "umask %04o", (unsigned)p->umask);
	}
	for (int res = 0; res < RLIMIT_NLIMITS; res++)
		if (p->limits[res].set && set_limit(res, &p->limits[res], log) < 0)
			return -1;
	/* nice is an absolute value, not an increment: the policy says "jobs
	 * run at nice 5" whatever niceness cron itself was started with, and
	 * applying it twice (open_session, then `cronguard run` in a job)
	 * must not add up.  Going below the current value needs
	 * CAP_SYS_NICE, which cron's root middle process has. */
	if (p->nice_set) {
		errno = 0;
		if (setpriority(PRIO_PROCESS, 0, p->nice) < 0) {
			cg_logf(log, LOG_ERR, "setpriority(nice %d): %m", p->nice);
			return -1;
		}
		cg_logf(log, LOG_DEBUG, "nice %d", p->nice);
	}
	return 0;
}
