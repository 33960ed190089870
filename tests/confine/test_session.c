/* test_session.c - cg_apply_session(): umask, rlimits and nice, as the
 * module applies them in open_session. */
#include "confine_test.h"

#include <sys/resource.h>

static int apply(const char *policy, const char *user, bool drop_root)
{
	struct cg_plan plan;
	struct cg_logger log = cgt_logger();
	int rc;

	cr_assert_eq(cgt_resolve(policy, user, &plan), 0);
	if (drop_root)
		cr_assert_eq(setuid(65534), 0);
	rc = cg_apply_session(&plan, &log);
	cg_plan_free(&plan);
	return rc;
}

/* Criterion runs each test in its own process: changes stay there. */
Test(session, umask_limits_nice)
{
	struct rlimit rl;
	mode_t old;

	cr_assert_eq(setpriority(PRIO_PROCESS, 0, 0), 0);
	cr_assert_eq(apply("[default]\numask = 0027\nlimit.core = 0\nlimit.nofile = 100:200\n"
			   "nice = 7\n", "root", false), 0);
	old = umask(0);
	cr_assert_eq(old, 0027);
	cr_assert_eq(getrlimit(RLIMIT_CORE, &rl), 0);
	cr_assert_eq(rl.rlim_cur, 0);
	cr_assert_eq(rl.rlim_max, 0);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(rl.rlim_cur, 100);
	cr_assert_eq(rl.rlim_max, 200);
	errno = 0;
	cr_assert_eq(getpriority(PRIO_PROCESS, 0), 7);
	/* nice is absolute: applying it again does not add up */
	cr_assert_eq(apply("[default]\nnice = 7\n", "root", false), 0);
	cr_assert_eq(getpriority(PRIO_PROCESS, 0), 7);
}

Test(session, unset_values_leave_the_process_alone)
{
	struct rlimit before, after;
	mode_t old;

	umask(0022);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &before), 0);
	cr_assert_eq(apply(UNCONFINED, "root", false), 0);
	old = umask(0);
	cr_assert_eq(old, 0022);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &after), 0);
	cr_assert_eq(after.rlim_max, before.rlim_max);
}

Test(session, raising_a_hard_limit_unprivileged_fails)
{
	struct rlimit rl = { 64, 128 };

	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(apply("[default]\nlimit.nofile = 64:4096\n", "root", true), -1,
		     "raising the hard limit without CAP_SYS_RESOURCE must fail");
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(rl.rlim_max, 128);
	/* lowering is always fine */
	cr_assert_eq(apply("[default]\nlimit.nofile = 32:100\n", "root", true), 0);
}
