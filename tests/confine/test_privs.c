/* test_privs.c - privilege attacks against a confined job: chown as a root
 * job without capabilities, root through a setuid binary, signalling and
 * reaching processes outside the job; and what mail-safe mode keeps. */
#include "confine_test.h"

#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>

TestSuite(privs, .init = cgt_setup, .fini = cgt_teardown);

static char chown_bin[] = "/bin/chown", nobody_uid[] = "65534";

static int exec_chown(void *arg)
{
	char *argv[] = { chown_bin, nobody_uid, arg, NULL };

	return cgt_exec_ok(argv);
}

Test(privs, root_job_chown_without_capabilities)
{
	char path[128];
	struct stat st;
	struct cgt_job open = { UNCONFINED, "root", exec_chown, path, false, 0, false };
	struct cgt_job shut = { "[default]\ncapabilities = none\n", "root", exec_chown, path,
				false, 0, false };

	snprintf(path, sizeof(path), "%s/owned-by-root", cgt_dir);
	cgt_write_file(path, "x\n", 0644);
	cr_assert_eq(cgt_run(&open), ATTACK_OK, "chown should work for an unconfined root job");
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_uid, 65534);
	cr_assert_eq(chown(path, 0, 0), 0);
	cr_assert_eq(cgt_run(&shut), ATTACK_BLOCKED, "chown with capabilities = none");
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_uid, 0, "the file changed owner");
}

/* Keeping one capability keeps exactly that one. */
Test(privs, root_job_keeps_listed_capability)
{
	char path[128];
	struct cgt_job keep = { "[default]\ncapabilities = CAP_CHOWN\n", "root", exec_chown, path,
				false, 0, false };

	snprintf(path, sizeof(path), "%s/owned-by-root", cgt_dir);
	cgt_write_file(path, "x\n", 0644);
	cr_assert_eq(cgt_run(&keep), ATTACK_OK, "CAP_CHOWN was kept by the plan");
}

/* Runs the setuid copy of id(1) and reads the effective uid it prints. */
static int setuid_id(void *arg)
{
	int fds[2], status;
	char buf[32] = "";
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		return SETUP_IDENTITY;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(arg, arg, "-u", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || n <= 0)
		return SETUP_IDENTITY;
	buf[n] = '\0';
	return atoi(buf) == 0 ? ATTACK_OK : atoi(buf) == 65534 ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

Test(privs, setuid_binary_under_no_new_privs)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/id-setuid", cgt_dir);
	cr_assert_eq(system(cgt_policy("cp /usr/bin/id '%s'", path)), 0);
	cr_assert_eq(chown(path, 0, 0), 0);
	cr_assert_eq(chmod(path, 04755), 0);
	cgt_expect_blocked("nobody gains euid 0 through a setuid binary",
			   "[default]\nno_new_privs = yes\n", "nobody", setuid_id, path);
}

static pid_t start_sleeper(void)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

static int kill_it(void *arg)
{
	pid_t pid = *(pid_t *)arg;

	if (kill(pid, SIGTERM) == 0)
		return ATTACK_OK;
	return errno == EPERM ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

/* Reaps the sleeper; true when SIGTERM killed it. */
static bool sleeper_killed(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
}

Test(privs, signal_process_outside_the_job)
{
	cgt_need_abi(6);
	pid_t victim = start_sleeper();
	struct cgt_job open = { UNCONFINED, "root", kill_it, &victim, false, 0, false };
	struct cgt_job shut = { "[default]\nscope = signals\n", "root", kill_it, &victim, false, 0, false };

	cr_assert_eq(cgt_run(&open), ATTACK_OK);
	cr_assert(sleeper_killed(victim), "the unconfined job should have killed it");
	victim = start_sleeper();
	cr_assert_eq(cgt_run(&shut), ATTACK_BLOCKED, "signal outside the job with scope = signals");
	cr_assert_not(sleeper_killed(victim), "the confined job killed a process outside it");
}

/* Benign: the job may still signal its own children. */
static int kill_own_child(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (pid < 0 || kill(pid, SIGTERM) < 0)
		return 2;
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? 0 : 3;
}

Test(privs, job_signals_its_own_children)
{
	cgt_need_abi(6);
	struct cgt_job j = { "[default]\nscope = signals\n", "root", kill_own_child, NULL, false, 0, false };

	cr_assert_eq(cgt_run(&j), 0);
}

static int connect_abstract(void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *name = arg;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));

	if (fd < 0)
		return SETUP_IDENTITY;
	memcpy(sa.sun_path + 1, name, strlen(name));
	if (connect(fd, (struct sockaddr *)&sa, len) == 0) {
		close(fd);
		return ATTACK_OK;
	}
	return errno == EPERM ? ATTACK_BLOCKED : SETUP_IDENTITY;
}

Test(privs, abstract_socket_outside_the_job)
{
	cgt_need_abi(6);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char name[64];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	socklen_t len;

	snprintf(name, sizeof(name), "cg-confine-test-%d", (int)getpid());
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	memcpy(sa.sun_path + 1, name, strlen(name));
	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, len), 0, "bind: %s", strerror(errno));
	cr_assert_eq(listen(fd, 4), 0);
	cgt_expect_blocked("connect to an abstract socket outside the job",
			   "[default]\nscope = abstract-unix\n", "nobody", connect_abstract, name);
	close(fd);
}

/* Reports (as a bit set) what the confined process kept. */
static int report_privs(void *arg)
{
	(void)arg;
	int r = 0;

	if (prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL) == 1)
		r |= 1;
	if (prctl(PR_CAPBSET_READ, 0UL /* CAP_CHOWN */, 0UL, 0UL, 0UL) == 0)
		r |= 2;
	return r;
}

Test(privs, mail_safe_keeps_what_the_setuid_mailer_needs)
{
	const char *pol = "[default]\nno_new_privs = yes\ncapabilities = none\n";
	struct cgt_job job = { pol, "root", report_privs, NULL, false, 0, false };
	struct cgt_job mail = { pol, "root", report_privs, NULL, true, 0, false };
	struct cgt_job nomail = { "[default]\nno_new_privs = yes\ncapabilities = none\nmail = no\n",
				  "root", report_privs, NULL, true, 0, false };

	cr_assert_eq(cgt_run(&job), 3, "job process: no_new_privs and empty bounding set");
	cr_assert_eq(cgt_run(&mail), 0, "mail-safe: neither no_new_privs nor bounding changes");
	cr_assert_eq(cgt_run(&nomail), 3, "mail = no: mail-safe is not needed");
}

/* AppArmor is off on this machine (FIELD-NOTES 3): a strict plan naming a
 * profile refuses the job, a lenient one runs; a plan without a profile
 * never loads libapparmor. */
static int libapparmor_loaded(void *arg)
{
	(void)arg;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");
	bool found = false;

	if (!f)
		return SETUP_IDENTITY;
	while (fgets(line, sizeof(line), f))
		found |= strstr(line, "libapparmor") != NULL;
	fclose(f);
	return found ? 1 : 0;
}

Test(privs, apparmor_profile_strict_and_lenient)
{
	struct cgt_job strict = { "[default]\napparmor = cronguard-%u\nstrict = yes\n", "nobody",
				  NULL, NULL, false, -1, false };
	struct cgt_job lenient = { "[default]\napparmor = cronguard-%u\n", "nobody",
				   libapparmor_loaded, NULL, false, 0, false };
	struct cgt_job none = { "[default]\nno_new_privs = yes\n", "nobody",
				libapparmor_loaded, NULL, false, 0, false };

	if (access("/sys/kernel/security/apparmor", F_OK) == 0)
		cr_skip_test("AppArmor is enabled here; this test covers hosts without it");
	cr_assert_eq(cgt_run(&strict), ATTACK_BLOCKED, "strict plan with an unusable profile ran");
	cr_assert_eq(cgt_run(&lenient), 1, "lenient plan: runs, libapparmor was loaded to ask");
	cr_assert_eq(cgt_run(&none), 0, "a plan without a profile loaded libapparmor");
}
