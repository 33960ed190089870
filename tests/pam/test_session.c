/* test_session.c - open_session and the job-process hook through libpam. */
#include "pamtest.c"

#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

static struct pamtest t;

static void fini(void)
{
	pamtest_cleanup(&t);
}

TestSuite(session, .fini = fini);

static const char *policy =
	"[default]\n"
	"env.set = CRONGUARD_TEST=yes LANG=C.UTF-8\n"
	"env.deny += CG_SECRET_*\n"
	"umask = 0027\n"
	"limit.nofile = 256:512\n"
	"limit.core = 0\n"
	"nice = 3\n";

static void open_session_for(const char *pol, const char *user)
{
	pamtest_setup(&t, "cron", pol, NULL);
	cr_assert_eq(pamtest_start(&t, "cron", user), PAM_SUCCESS);
	/* What pam_env would have added before us. */
	cr_assert_eq(pam_putenv(t.pamh, "LD_PRELOAD=/tmp/evil.so"), PAM_SUCCESS);
	cr_assert_eq(pam_putenv(t.pamh, "CG_SECRET_TOKEN=1"), PAM_SUCCESS);
	cr_assert_eq(pam_putenv(t.pamh, "KEEP_ME=1"), PAM_SUCCESS);
	cr_assert_eq(pam_acct_mgmt(t.pamh, 0), PAM_SUCCESS);
	cr_assert_eq(pam_setcred(t.pamh, PAM_ESTABLISH_CRED), PAM_SUCCESS);
}

Test(session, environment_is_filtered_and_set)
{
	open_session_for(policy, "root");
	cr_assert_eq(pam_open_session(t.pamh, 0), PAM_SUCCESS);
	cr_assert_null(pam_getenv(t.pamh, "LD_PRELOAD"));
	cr_assert_null(pam_getenv(t.pamh, "CG_SECRET_TOKEN"));
	cr_assert_str_eq(pam_getenv(t.pamh, "KEEP_ME"), "1");
	cr_assert_str_eq(pam_getenv(t.pamh, "CRONGUARD_TEST"), "yes");
	cr_assert_str_eq(pam_getenv(t.pamh, "LANG"), "C.UTF-8");
	cr_assert_eq(pam_close_session(t.pamh, 0), PAM_SUCCESS);
}

Test(session, umask_rlimits_and_nice_are_applied)
{
	struct rlimit rl;

	open_session_for(policy, "root");
	cr_assert_eq(pam_open_session(t.pamh, 0), PAM_SUCCESS);
	mode_t old = umask(0);

	cr_assert_eq(old, 0027, "umask %03o", (unsigned)old);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(rl.rlim_cur, 256);
	cr_assert_eq(rl.rlim_max, 512);
	cr_assert_eq(getrlimit(RLIMIT_CORE, &rl), 0);
	cr_assert_eq(rl.rlim_cur, 0);
	errno = 0;
	cr_assert_eq(getpriority(PRIO_PROCESS, 0), 3);
}

Test(session, complain_mode_changes_nothing)
{
	char pol[512];
	struct rlimit before, after;

	snprintf(pol, sizeof(pol), "%smode = complain\n", policy);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &before), 0);
	umask(0022);
	open_session_for(pol, "root");
	cr_assert_eq(pam_open_session(t.pamh, 0), PAM_SUCCESS);
	cr_assert_str_eq(pam_getenv(t.pamh, "LD_PRELOAD"), "/tmp/evil.so");
	cr_assert_null(pam_getenv(t.pamh, "CRONGUARD_TEST"));
	cr_assert_eq(umask(0), 0022);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &after), 0);
	cr_assert_eq(after.rlim_cur, before.rlim_cur);
}

Test(session, invalid_policy_fails_the_session)
{
	pamtest_setup(&t, "cron", "[default]\numask = 999\n", NULL);
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_neq(pam_open_session(t.pamh, 0), PAM_SUCCESS);
}

/* The job-process hook: Debian cron forks after open_session and calls
 * pam_setcred(PAM_REINITIALIZE_CRED) in the child. */

static int job_status(void)
{
	pid_t pid = fork();
	int status;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		pam_setcred(t.pamh, PAM_REINITIALIZE_CRED);
		_exit(42);      /* "exec the job" */
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

Test(session, job_hook_lets_a_confinable_job_run)
{
	open_session_for("[default]\n", "root");
	cr_assert_eq(pam_open_session(t.pamh, 0), PAM_SUCCESS);
	cr_assert_eq(job_status(), 42);
}

Test(session, job_hook_in_the_middle_process_does_nothing)
{
	int status;
	pid_t pid;

	open_session_for("[default]\nexec = /nonexistent-dir\n", "root");
	cr_assert_eq(pam_open_session(t.pamh, 0), PAM_SUCCESS);
	/* Same pid as open_session: cron's middle process, not the job.  Had
	 * the module confined it, nothing could be executed any more. */
	cr_assert_eq(pam_setcred(t.pamh, PAM_REINITIALIZE_CRED), PAM_SUCCESS);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

Test(session, job_hook_without_usable_policy_kills_the_job)
{
	/* A handle whose policy cannot be loaded: the job must not start. */
	pamtest_setup(&t, "cron", "[default]\nnetwork = carrier-pigeon\n", NULL);
	cr_assert_eq(pamtest_start(&t, "cron", "root"), PAM_SUCCESS);
	cr_assert_eq(job_status(), 1);
}

Test(session, close_session_and_delete_cred_succeed)
{
	open_session_for(policy, "root");
	cr_assert_eq(pam_open_session(t.pamh, 0), PAM_SUCCESS);
	cr_assert_eq(pam_setcred(t.pamh, PAM_DELETE_CRED), PAM_SUCCESS);
	cr_assert_eq(pam_close_session(t.pamh, 0), PAM_SUCCESS);
}
