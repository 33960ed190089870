/* bench_confine.c - what cg_confine_job() costs a cron job.
 *
 * For the shipped default policy's root plan and an ordinary user's plan
 * (nobody), forks a fresh child that calls cg_confine_job() and exits, and
 * a baseline child that only exits, interleaved in the same run so machine
 * noise hits all three alike.  Reports the median time of cg_confine_job()
 * measured inside the child, and the median fork-to-reap time against the
 * baseline's (the difference is what a job start pays).
 *
 * Usage: bench_confine [ITERATIONS] [POLICY]   (run as root) */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "confine.h"
#include "policy.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One fresh child: confines with plan (NULL: baseline), or applies its
 * session part when session is true, and reports the time that took
 * through a pipe.  Returns the fork-to-reap time. */
static double one_of(const struct cg_plan *plan, bool session, double *inner)
{
	static const struct cg_logger quiet = { NULL, NULL, 0 };
	struct cg_confine_opts opts = { .mail_safe = false };
	int fds[2], status;
	double t0, t1, t;
	pid_t pid;

	if (pipe(fds) < 0) {
		perror("pipe");
		exit(2);
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		double a = now_us(), b;
		int rc = !plan ? 0 : session ? cg_apply_session(plan, &quiet)
			 : cg_confine_job(plan, &opts, &quiet);

		b = now_us() - a;
		if (write(fds[1], &b, sizeof(b)) != (ssize_t)sizeof(b))
			_exit(3);
		_exit(rc < 0 ? 1 : 0);
	}
	close(fds[1]);
	if (read(fds[0], &t, sizeof(t)) != (ssize_t)sizeof(t))
		t = -1;
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench child failed (status %#x)\n", status);
		exit(2);
	}
	t1 = now_us();
	*inner = t;
	return t1 - t0;
}

static double one(const struct cg_plan *plan, double *inner)
{
	return one_of(plan, false, inner);
}

static int resolve(const struct cg_policy *pol, const char *user, struct cg_plan *plan)
{
	struct cg_arena a = { 0 };
	struct cg_identity id;
	struct cg_diags d = { 0 };
	int rc = -1;

	if (cg_identity_lookup(&a, user, &id) == 0)
		rc = cg_resolve(pol, &id, plan, &d);
	cg_diags_free(&d);
	cg_arena_free(&a);
	return rc;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 500;
	const char *file = argc > 2 ? argv[2] : CG_SOURCE_DIR "/pam_cronguard/cronguard.conf";
	struct cg_load_opts lo = { .require_root_owned = false, .dropins = false };
	struct cg_policy pol;
	struct cg_diags d = { 0 };
	struct cg_plan plans[2];
	const char *names[2] = { "root", "nobody" };
	double *wall[4], *inner[4], dummy;

	if (n < 10)
		n = 10;
	memset(&pol, 0, sizeof(pol));
	if (cg_policy_load(&pol, file, &lo, &d) < 0) {
		fprintf(stderr, "%s: invalid policy\n", file);
		return 2;
	}
	for (int i = 0; i < 2; i++)
		if (resolve(&pol, names[i], &plans[i]) < 0) {
			fprintf(stderr, "cannot resolve %s\n", names[i]);
			return 2;
		}
	for (int k = 0; k < 4; k++) {
		wall[k] = calloc(n, sizeof(double));
		inner[k] = calloc(n, sizeof(double));
		if (!wall[k] || !inner[k])
			return 2;
	}
	for (size_t i = 0; i < 20; i++)       /* warm up caches */
		one(&plans[i % 2], &dummy);
	for (size_t i = 0; i < n; i++) {
		wall[0][i] = one(NULL, &inner[0][i]);
		wall[1][i] = one(&plans[0], &inner[1][i]);
		wall[2][i] = one(&plans[1], &inner[2][i]);
		wall[3][i] = one_of(&plans[1], true, &inner[3][i]);
	}
	double base = median(wall[0], n);

	printf("policy %s, %zu runs each, Landlock ABI %d, medians:\n", file, n,
	       cg_landlock_abi());
	printf("  %-22s fork+exit+reap %8.1f us\n", "baseline child", base);
	for (int k = 1; k < 3; k++) {
		double w = median(wall[k], n), c = median(inner[k], n);

		printf("  %-22s cg_confine_job %8.1f us   fork+confine+reap %8.1f us  "
		       "(+%.1f us, ratio %.2f)\n", k == 1 ? "root plan" : "user plan (nobody)",
		       c, w, w - base, w / base);
	}
	printf("  %-22s cg_apply_session %6.1f us   (umask, limits, nice; in open_session)\n",
	       "user plan (nobody)", median(inner[3], n));
	for (int i = 0; i < 2; i++)
		cg_plan_free(&plans[i]);
	cg_policy_free(&pol);
	cg_diags_free(&d);
	return 0;
}
