/* confine_test.h - run one attack in a forked child confined by a plan.
 *
 * Every attack test runs the same attack twice: under a plan that confines
 * nothing it must succeed (so the test can fail: the attack is real on this
 * machine), under the confining plan it must fail.  The child does what
 * cron's job process does: resolve the plan for a real user (root or nobody),
 * setgid/initgroups, cg_confine_job(), setuid, then the attack.
 *
 * Needs root.  Header-only: each test_*.c is its own executable. */
#ifndef CG_CONFINE_TEST_H
#define CG_CONFINE_TEST_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "confine.h"
#include "policy.h"

/* An attack returns ATTACK_OK when it got what it wanted, ATTACK_BLOCKED when
 * the system refused it; anything else is a broken test setup. */
enum { ATTACK_OK = 0, ATTACK_BLOCKED = 1, SETUP_POLICY = 100, SETUP_CONFINE = 101,
       SETUP_IDENTITY = 102, SETUP_PREPARE = 103 };

/* A policy that confines nothing: every list unset, network any, all
 * capabilities, no namespaces (the resolver's built-in defaults). */
#define UNCONFINED "[default]\nmode = enforce\n"

typedef int (*cgt_attack_fn)(void *arg);

struct cgt_job {
	const char *policy;     /* policy text */
	const char *user;       /* "root" or "nobody" */
	cgt_attack_fn attack;
	void *arg;
	bool mail_safe;
	int expect_confine_rc;  /* 0, or -1 to test a refusal (then attack unused) */
	bool skip_confine;      /* baseline: no cg_confine_job() at all */
};

/* For the next cgt_run(): Landlock rules prepared first
 * (cg_landlock_prepare, as the module does when it remembers a plan) and
 * handed to cg_confine_job(); then between(arg), if set, before
 * confining: what changed meanwhile.  Each test runs in its own process. */
static struct {
	bool prepare;
	void (*between)(void *arg);
} cgt_next;

static inline int cgt_resolve(const char *text, const char *user, struct cg_plan *plan)
{
	struct cg_policy pol;
	struct cg_diags d = { 0 };
	struct cg_arena a = { 0 };
	struct cg_identity id;
	int rc = -1;

	memset(&pol, 0, sizeof(pol));
	if (cg_policy_parse(&pol, "test.conf", text, strlen(text), &d) != 0)
		goto out;
	if (cg_identity_lookup(&a, user, &id) < 0)
		goto out;
	rc = cg_resolve(&pol, &id, plan, &d);
out:
	for (size_t i = 0; i < d.n; i++) {
		char line[512];

		cg_diag_format(&d.v[i], line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
	cg_diags_free(&d);
	cg_arena_free(&a);
	cg_policy_free(&pol);
	return rc;
}

static inline struct cg_logger cgt_logger(void)
{
	struct cg_logger l = cg_stderr_logger;

	l.debug = getenv("CG_TEST_DEBUG") != NULL;
	return l;
}

/* Runs the job; returns the child's exit status (ATTACK_* or SETUP_*). */
static inline int cgt_run(const struct cgt_job *j)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		struct cg_plan plan;
		struct cg_confine_opts opts = { .mail_safe = j->mail_safe };
		struct cg_ll_prepared prepared;
		struct cg_logger log = cgt_logger();
		int rc;

		if (cgt_resolve(j->policy, j->user, &plan) < 0)
			_exit(SETUP_POLICY);
		if (cgt_next.prepare) {
			if (cg_landlock_prepare(&plan, j->mail_safe, &plan.arena, &prepared,
						&log) != 1)
				_exit(SETUP_PREPARE);
			opts.landlock = &prepared;
		}
		if (cgt_next.between)
			cgt_next.between(j->arg);
		if (plan.id.uid != 0 &&
		    (setgid(plan.id.gid) < 0 || initgroups(plan.id.user, plan.id.gid) < 0))
			_exit(SETUP_IDENTITY);
		rc = j->skip_confine ? 0 : cg_confine_job(&plan, &opts, &log);
		if (j->expect_confine_rc < 0)
			_exit(rc < 0 ? ATTACK_BLOCKED : ATTACK_OK);
		if (rc < 0)
			_exit(SETUP_CONFINE);
		if (plan.id.uid != 0 && setuid(plan.id.uid) < 0)
			_exit(SETUP_IDENTITY);
		_exit(j->attack(j->arg));
	}
	while (waitpid(pid, &status, 0) < 0)
		cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
	cr_assert(WIFEXITED(status), "job killed by signal %d", WTERMSIG(status));
	return WEXITSTATUS(status);
}

/* The attack succeeds unconfined and fails confined. */
static inline void cgt_expect_blocked(const char *what, const char *confining, const char *user,
				      cgt_attack_fn attack, void *arg)
{
	struct cgt_job open = { UNCONFINED, user, attack, arg, false, 0, false };
	struct cgt_job shut = { confining, user, attack, arg, false, 0, false };
	int rc;

	rc = cgt_run(&open);
	cr_assert_eq(rc, ATTACK_OK, "%s: should succeed without confinement (status %d)", what, rc);
	rc = cgt_run(&shut);
	cr_assert_eq(rc, ATTACK_BLOCKED, "%s: should be blocked by the plan (status %d)", what, rc);
}

/* Skips the test on a kernel whose Landlock lacks what it checks. */
#define cgt_need_abi(n) do { \
	if (cg_landlock_abi() < (n)) \
		cr_skip_test("needs Landlock ABI %d, the kernel has %d", (n), cg_landlock_abi()); \
} while (0)

/* Formats a policy into a static buffer (tests are single-threaded). */
static inline const char *cgt_policy(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline const char *cgt_policy(const char *fmt, ...)
{
	static char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cr_assert(n > 0 && (size_t)n < sizeof(buf), "policy too long");
	return buf;
}

/* A scratch directory outside /tmp and /var/tmp (those are private to some
 * plans), readable and traversable by nobody. */
static char cgt_dir[64];

static inline void cgt_setup(void)
{
	snprintf(cgt_dir, sizeof(cgt_dir), "/var/lib/cgtest.XXXXXX");
	cr_assert_not_null(mkdtemp(cgt_dir), "mkdtemp: %s", strerror(errno));
	cr_assert_eq(chmod(cgt_dir, 0755), 0);
}

static inline void cgt_teardown(void)
{
	char cmd[128];

	if (!cgt_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", cgt_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", cgt_dir);
}

static inline void cgt_write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);

	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* Creates path (0600) and closes it: 0 when created, else the errno. */
static inline int cgt_try_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Runs argv (exec in a grandchild), returns ATTACK_OK when it exited 0. */
static inline int cgt_exec_ok(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return SETUP_IDENTITY;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(errno == EACCES || errno == EPERM ? 126 : 127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return SETUP_IDENTITY;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return ATTACK_OK;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return 127;    /* not found: a broken test, not a block */
	return ATTACK_BLOCKED;
}

#endif
