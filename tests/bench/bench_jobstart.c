/* bench_jobstart.c - what pam_cronguard adds to one cron job start.
 *
 * Replays Debian cron's PAM sequence for one job (FIELD-NOTES section 1) in
 * a process of its own, as cron does (the daemon forks one per job, which
 * runs PAM, forks the job and exits): fork; pam_start, acct_mgmt,
 * setcred(ESTABLISH), open_session, fork; in the job setcred(REINITIALIZE),
 * setgid/initgroups/setuid, exec /bin/true; wait, setcred(DELETE),
 * close_session, pam_end; exit and reap.  The bench process itself never
 * loads a PAM module, like cron's daemon, so every job loads them anew.
 * Once with the stock /etc/pam.d/cron stack, once with pam_cronguard's
 * three lines added (an installed copy of the module) and the shipped
 * default policy, alternating in the same run, which goes first flipping
 * every iteration; prints the medians, their difference and ratio, the
 * median of the per-iteration differences, and per phase the added time
 * and page faults.  Not a timed test: run it by hand for the figures.
 *
 * Usage: bench_jobstart [ITERATIONS] [USER] [POLICY]   (as root)
 * POLICY defaults to the shipped pam_cronguard/cronguard.conf.
 * CG_BENCH_ONLY=stock or =with runs one stack only (no comparison), to
 * profile one side with `perf record`.  CG_MODULE_ARGS adds module
 * arguments (`nocache`: every job decides in full, as the first job after a
 * policy or crontab change does; by default the plan cache is warm after
 * the warm-up job, as it is for cron's jobs).
 * CG_BENCH_BASELINE=POLICY replaces the stock stack with pam_cronguard
 * under POLICY: the run then compares two policies through the same module,
 * which shows what a policy feature costs (default policy minus
 * private_tmp and protect_system: the mount namespace, say).
 * CG_BENCH_BASELINE_MODULE=PATH does the same with another build of the
 * module (under the same policy, unless CG_BENCH_BASELINE is also set), to
 * weigh a change to the module in one run.
 * "noop" for CG_MODULE or CG_BENCH_BASELINE_MODULE names noop_module.so, a
 * module that does nothing, built with the bench: CG_MODULE=noop shows what
 * any module in those three lines costs a job (its loading and unloading),
 * CG_BENCH_BASELINE_MODULE=noop what pam_cronguard costs beyond that. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int conv_fn(int n, const struct pam_message **m, struct pam_response **r, void *d)
{
	(void)n; (void)m; (void)r; (void)d;
	return PAM_CONV_ERR;
}

static const struct pam_conv conv = { conv_fn, NULL };

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Minor page faults so far in this process: each is a few microseconds on
 * the dev VM (a module's pages mapped, relocated, its stack and heap
 * touched), so the bench counts them next to the times. */
static long minor_faults(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : 0;
}

/* Per-phase times and page faults of the last job, to show where the
 * added time goes: pam_start (module loading), account, setcred+session,
 * the job (the job process's faults included), the end. */
enum { PH_START, PH_ACCT, PH_SESSION, PH_JOB, PH_END, PH_PROCESS, PH_COUNT };
static double phase[PH_COUNT];
static double phase_faults[PH_COUNT];

/* Where the job's own process leaves its phases for the bench process. */
static struct {
	double phase[PH_COUNT], faults[PH_COUNT];
} *shared;

static int one_job(const char *confdir, const struct passwd *pw)
{
	pam_handle_t *pamh;
	int rc, status;
	pid_t pid;
	double t = now_us(), t2;
	long f = minor_faults(), f2;
	struct rusage child;

	rc = pam_start_confdir("cron", pw->pw_name, &conv, confdir, &pamh);
	if (rc != PAM_SUCCESS)
		return -1;
	pam_set_item(pamh, PAM_TTY, "cron");
	t2 = now_us();
	phase[PH_START] = t2 - t;
	t = t2;
	f2 = minor_faults();
	phase_faults[PH_START] = (double)(f2 - f);
	f = f2;
	rc = pam_acct_mgmt(pamh, PAM_SILENT);
	t2 = now_us();
	phase[PH_ACCT] = t2 - t;
	t = t2;
	f2 = minor_faults();
	phase_faults[PH_ACCT] = (double)(f2 - f);
	f = f2;
	if (rc != PAM_SUCCESS ||
	    (rc = pam_setcred(pamh, PAM_ESTABLISH_CRED | PAM_SILENT)) != PAM_SUCCESS ||
	    (rc = pam_open_session(pamh, PAM_SILENT)) != PAM_SUCCESS) {
		fprintf(stderr, "pam: %s\n", pam_strerror(pamh, rc));
		pam_end(pamh, rc);
		return -1;
	}
	t2 = now_us();
	phase[PH_SESSION] = t2 - t;
	t = t2;
	f2 = minor_faults();
	phase_faults[PH_SESSION] = (double)(f2 - f);
	f = f2;
	pid = fork();
	if (pid == 0) {
		static char arg0[] = "true";
		char *argv[] = { arg0, NULL };
		char **env = pam_getenvlist(pamh);

		if (setsid() < 0 || setgid(pw->pw_gid) < 0 || initgroups(pw->pw_name, pw->pw_gid) < 0)
			_exit(120);
		pam_setcred(pamh, PAM_REINITIALIZE_CRED | PAM_SILENT);
		if (setuid(pw->pw_uid) < 0)
			_exit(121);
		if (chdir("/") < 0)
			_exit(122);
		execve("/bin/true", argv, env);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &child) != pid) {
		pam_end(pamh, PAM_SYSTEM_ERR);
		return -1;
	}
	t2 = now_us();
	phase[PH_JOB] = t2 - t;
	t = t2;
	f2 = minor_faults();
	phase_faults[PH_JOB] = (double)(f2 - f + child.ru_minflt);
	f = f2;
	pam_setcred(pamh, PAM_DELETE_CRED | PAM_SILENT);
	pam_close_session(pamh, PAM_SILENT);
	pam_end(pamh, PAM_SUCCESS);
	phase[PH_END] = now_us() - t;
	phase_faults[PH_END] = (double)(minor_faults() - f);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* One job in a process of its own, as cron runs it.  The phases come back
 * through shared memory; what is left of the total (forking that process,
 * its exit, which unmaps what pam_end left mapped, and the reap) is the
 * last phase. */
static int one_process(const char *confdir, const struct passwd *pw)
{
	double t = now_us(), sum = 0;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int rc = one_job(confdir, pw);

		memcpy(shared->phase, phase, sizeof(phase));
		memcpy(shared->faults, phase_faults, sizeof(phase_faults));
		_exit(rc == 0 ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	memcpy(phase, shared->phase, sizeof(phase));
	memcpy(phase_faults, shared->faults, sizeof(phase_faults));
	for (int k = 0; k < PH_PROCESS; k++)
		sum += phase[k];
	phase[PH_PROCESS] = now_us() - t - sum;
	phase_faults[PH_PROCESS] = 0;
	return 0;
}

/* CG_MODULE and CG_BENCH_BASELINE_MODULE: a path, or "noop". */
static const char *module_env(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	if (v && strcmp(v, "noop") == 0)
		return CG_NOOP_MODULE_PATH;
	return v ? v : fallback;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void write_stack(const char *dir, const char *module, const char *policy)
{
	char path[512], line[1024];
	FILE *in = fopen("/etc/pam.d/cron", "r"), *out;

	if (!in) {
		perror("/etc/pam.d/cron");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/cron", dir);
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		exit(2);
	}
	/* The plan cache next to the policy, removed with it. */
	const char *extra = getenv("CG_MODULE_ARGS") ? getenv("CG_MODULE_ARGS") : "";

	if (module) {
		fprintf(out, "account required %s conffile=%s cachedir=%s.cache %s\n", module,
			policy, policy, extra);
		fprintf(out, "auth required %s conffile=%s cachedir=%s.cache %s\n", module, policy,
			policy, extra);
	}
	while (fgets(line, sizeof(line), in))
		fputs(line, out);
	if (module)
		fprintf(out, "session required %s conffile=%s cachedir=%s.cache %s\n", module,
			policy, policy, extra);
	fclose(in);
	fclose(out);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	const char *user = argc > 2 ? argv[2] : "nobody";
	const char *module = module_env("CG_MODULE", CG_MODULE_PATH);
	bool noop = strcmp(module, CG_NOOP_MODULE_PATH) == 0;
	char base[] = "/tmp/cg-bench-XXXXXX", stock[600], with[600], policy[600], cmd[5000];
	char baseline[600];
	const char *baseline_src = getenv("CG_BENCH_BASELINE");
	const char *baseline_module = module_env("CG_BENCH_BASELINE_MODULE", NULL);
	bool ab = baseline_src || baseline_module;
	struct passwd *pw = getpwnam(user);
	double *t_stock, *t_with;

	if (!module || !pw || geteuid() != 0 || n < 1) {
		fprintf(stderr, "usage: CG_MODULE=.../pam_cronguard.so bench_jobstart [N] [USER] (root)\n");
		return 2;
	}
	if (!mkdtemp(base))
		return 2;
	snprintf(stock, sizeof(stock), "%s/stock", base);
	snprintf(with, sizeof(with), "%s/with", base);
	snprintf(policy, sizeof(policy), "%s/cronguard.conf", base);
	snprintf(baseline, sizeof(baseline), "%s/baseline.conf", base);
	mkdir(stock, 0755);
	mkdir(with, 0755);
	if (argc > 3)
		snprintf(cmd, sizeof(cmd), "cp '%s' %s && chmod 644 %s", argv[3], policy, policy);
	else
		snprintf(cmd, sizeof(cmd), "cp %s/pam_cronguard/cronguard.conf %s && chmod 644 %s",
			 CG_SOURCE_DIR, policy, policy);
	if (system(cmd) != 0)
		return 2;
	if (ab) {
		snprintf(cmd, sizeof(cmd), "cp '%s' %s && chmod 644 %s",
			 baseline_src ? baseline_src : policy, baseline, baseline);
		if (system(cmd) != 0)
			return 2;
	}
	/* cron loads the module a package installed, not the linker's output:
	 * the same bytes cost a job 20-30 us more to map from the file ld
	 * wrote (measured with CG_BENCH_BASELINE_MODULE: build output against
	 * a copy, and a copy against a copy), an artefact of how the linker
	 * fills the page cache, gone once the file is copied or read back
	 * from disk.  So the jobs load installed copies. */
	char installed[600], installed_base[600];

	snprintf(installed, sizeof(installed), "%s/pam_cronguard.so", base);
	snprintf(installed_base, sizeof(installed_base), "%s/baseline.so", base);
	snprintf(cmd, sizeof(cmd), "install -m 0644 '%s' %s", module, installed);
	if (system(cmd) != 0)
		return 2;
	if (baseline_module) {
		snprintf(cmd, sizeof(cmd), "install -m 0644 '%s' %s", baseline_module,
			 installed_base);
		if (system(cmd) != 0)
			return 2;
	}
	write_stack(stock, ab ? (baseline_module ? installed_base : installed) : NULL,
		    ab ? baseline : NULL);
	write_stack(with, installed, policy);
	/* The plan cache remembers a decision only when the files it read
	 * were last changed two seconds before: the policy was copied just
	 * now, and cron's policy is older than that. */
	struct timespec settle = { 2, 200 * 1000 * 1000 };

	nanosleep(&settle, NULL);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED)
		return 2;
	t_stock = calloc((size_t)n, sizeof(double));
	t_with = calloc((size_t)n, sizeof(double));
	double *ph_stock = calloc((size_t)n * PH_COUNT, sizeof(double));
	double *ph_with = calloc((size_t)n * PH_COUNT, sizeof(double));
	double *pf_stock = calloc((size_t)n * PH_COUNT, sizeof(double));
	double *pf_with = calloc((size_t)n * PH_COUNT, sizeof(double));

	if (!t_stock || !t_with || !ph_stock || !ph_with || !pf_stock || !pf_with)
		return 2;
	const char *only = getenv("CG_BENCH_ONLY");

	if (only) {
		const char *dir = strcmp(only, "stock") == 0 ? stock : with;

		for (int i = 0; i < n; i++)
			if (one_process(dir, pw) < 0)
				return 1;
		printf("%d jobs with the %s stack\n", n, dir == stock ? "stock" : "module's");
		snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
		return system(cmd) != 0 ? 2 : 0;
	}
	/* Warm up both, then alternate so drift hits both alike. */
	if (one_process(stock, pw) < 0 || one_process(with, pw) < 0) {
		fprintf(stderr, "a job failed to run\n");
		return 1;
	}
	/* The order flips every iteration, so that neither setup always runs
	 * right after the other: a job's deferred kernel work (its seccomp
	 * filter and Landlock domain are freed by workers, its mount namespace
	 * after an RCU grace period) can spill into the next job. */
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < 2; j++) {
			bool first_stock = i % 2 == 0;
			bool is_stock = (j == 0) == first_stock;
			double t0 = now_us();

			if (one_process(is_stock ? stock : with, pw) < 0)
				return 1;
			(is_stock ? t_stock : t_with)[i] = now_us() - t0;
			for (int k = 0; k < PH_COUNT; k++) {
				(is_stock ? ph_stock : ph_with)[k * n + i] = phase[k];
				(is_stock ? pf_stock : pf_with)[k * n + i] = phase_faults[k];
			}
		}
	}
	/* Each iteration runs the two setups back to back: the median of
	 * those pairs' differences, next to the difference of the medians. */
	double *t_diff = calloc((size_t)n, sizeof(double));

	if (!t_diff)
		return 2;
	for (int i = 0; i < n; i++)
		t_diff[i] = t_with[i] - t_stock[i];
	qsort(t_diff, (size_t)n, sizeof(double), cmp_double);
	qsort(t_stock, (size_t)n, sizeof(double), cmp_double);
	qsort(t_with, (size_t)n, sizeof(double), cmp_double);
	double ms = t_stock[n / 2], mw = t_with[n / 2];

	printf("job start as %s, %d iterations each, alternating\n", user, n);
	if (ab)
		printf("  baseline: %s, %s\n  compared: %s, %s\n",
		       baseline_module ? baseline_module : module,
		       baseline_src ? baseline_src : "the same policy", module,
		       argc > 3 ? argv[3] : "the default policy");
	printf("  %-31s median %8.1f us  p90 %8.1f us\n",
	       ab ? "baseline" : "stock /etc/pam.d/cron", ms, t_stock[n * 9 / 10]);
	printf("  %-31s median %8.1f us  p90 %8.1f us\n",
	       ab ? "compared" : noop ? "+ a module that does nothing" :
	       "+ pam_cronguard, default policy", mw,
	       t_with[n * 9 / 10]);
	static const char *const names[PH_COUNT] = {
		"pam_start (loads modules)", "acct_mgmt", "setcred+open_session",
		"fork, setcred REINIT, exec, wait", "setcred DELETE, close, end",
		"the job's process: fork, exit, reap",
	};
	for (int k = 0; k < PH_COUNT; k++) {
		qsort(ph_stock + k * n, (size_t)n, sizeof(double), cmp_double);
		qsort(ph_with + k * n, (size_t)n, sizeof(double), cmp_double);
		qsort(pf_stock + k * n, (size_t)n, sizeof(double), cmp_double);
		qsort(pf_with + k * n, (size_t)n, sizeof(double), cmp_double);
		printf("    %-34s %s %7.1f us  with %7.1f us  added %7.1f us  page faults %+4.0f\n",
		       names[k], ab ? " base" : "stock", ph_stock[k * n + n / 2],
		       ph_with[k * n + n / 2],
		       ph_with[k * n + n / 2] - ph_stock[k * n + n / 2],
		       pf_with[k * n + n / 2] - pf_stock[k * n + n / 2]);
	}
	free(ph_stock);
	free(ph_with);
	free(pf_stock);
	free(pf_with);
	if (ab)
		printf("  the compared setup adds %.1f us per job (ratio %.3f)", mw - ms, mw / ms);
	else
		printf("  added: %.1f us per job (ratio %.3f)", mw - ms, mw / ms);
	printf("; median of the %d paired differences %.1f us%s\n", n, t_diff[n / 2],
	       ab || noop ? "" : "; target <= 500 us");
	free(t_diff);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd) != 0)
		return 2;
	free(t_stock);
	free(t_with);
	return 0;
}
