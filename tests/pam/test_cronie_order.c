/* test_cronie_order.c - cronie's PAM call order, replayed through the real
 * libpam (service "crond"), with a real job and a real mailer (exim4's
 * /usr/sbin/sendmail, setuid root).
 *
 * cronie 1.7.2 (src/do_command.c, src/security.c, src/popen.c):
 *   daemon: fork -> middle child:
 *     cron_start_pam: pam_start("crond", user), pam_set_item(PAM_TTY,
 *       "cron"), pam_acct_mgmt(PAM_SILENT), pam_setcred(PAM_ESTABLISH_CRED)
 *     (SELinux: setexeccon(user's context))
 *     cron_open_pam_session: pam_open_session(PAM_SILENT)
 *     cron_change_groups: setgid, initgroups, pam_setcred(PAM_REINITIALIZE_CRED)
 *       -- in the middle child, return value ignored
 *     build_env: pam_getenvlist() + the crontab's variables on top
 *     child_process: fork the job (setreuid(uid, uid), chdir(HOME), setsid,
 *       stdout/stderr to a pipe, execle(SHELL, "-c", cmd));
 *       on the job's first output byte, cron_popen(): fork the mailer
 *       (setreuid(uid, uid), chdir(HOME), execvpe("/usr/sbin/sendmail
 *       -FCronDaemon -i -odi -oem -oi -t -f USER")), copy the output to it;
 *       wait for both
 *     cron_close_pam: pam_setcred(PAM_DELETE_CRED), pam_close_session,
 *       pam_end(PAM_SUCCESS)
 * The test process plays the daemon; a forked child plays the middle child,
 * so the confinement the module applies there never reaches the test runner.
 * The child reports every return code and the job's output over a pipe. */
#include "pamtest.c"

#include "confine_selinux.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#define SENDMAIL "/usr/sbin/sendmail"

struct replay {
	int start, acct, estab, open, reinit, del, close, end;
	int groups;                  /* setgid + initgroups, 0 or errno */
	int job_status, mail_status; /* wait statuses; -1: not run */
	char out[4096];              /* what the job wrote (stdout + stderr) */
};

static struct pamtest t;
static char user[32];
static char token[64];
static char tmpdir[64];          /* holds a copy of /bin/true, made before any confinement */
static uid_t uid;
static gid_t gid;
static char home[128];
static int tcp_port, listen_fd = -1;
static int mailer_err_fd = -1;   /* the MTA's stderr, opened before confinement */

static void mailbox(char *path, size_t size)
{
	snprintf(path, size, "/var/mail/%s", user);
}

static void init(void)
{
	char cmd[256];
	struct passwd *pw;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	cr_assert_eq(geteuid(), 0, "the cronie replay needs root (setreuid, exim4)");
	snprintf(user, sizeof(user), "cgco%05x", (unsigned)getpid() & 0xfffff);
	snprintf(token, sizeof(token), "cronie-order-%s-%ld", user, (long)time(NULL));
	snprintf(cmd, sizeof(cmd), "useradd -m -s /bin/sh %s", user);
	cr_assert_eq(system(cmd), 0, "useradd %s", user);
	pw = getpwnam(user);
	cr_assert_not_null(pw);
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	snprintf(home, sizeof(home), "%s", pw->pw_dir);
	strcpy(tmpdir, "/tmp/cg-cronie-order-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	cr_assert_eq(chmod(tmpdir, 0755), 0);
	snprintf(cmd, sizeof(cmd), "cp /bin/true %s/true && chmod 0755 %s/true", tmpdir, tmpdir);
	cr_assert_eq(system(cmd), 0);
	/* A local TCP listener: connect() completes from the backlog. */
	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(listen_fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(listen_fd, 8), 0);
	cr_assert_eq(getsockname(listen_fd, (struct sockaddr *)&a, &alen), 0);
	tcp_port = ntohs(a.sin_port);
}

static void fini(void)
{
	char cmd[256], mb[128];

	pamtest_cleanup(&t);
	if (listen_fd >= 0)
		close(listen_fd);
	if (user[0]) {
		snprintf(cmd, sizeof(cmd), "userdel -r %s >/dev/null 2>&1", user);
		if (system(cmd) != 0)
			cr_log_warn("userdel %s failed", user);
		mailbox(mb, sizeof(mb));
		unlink(mb);
	}
	if (strncmp(tmpdir, "/tmp/cg-cronie-order-", 21) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			cr_log_warn("could not remove %s", tmpdir);
	}
}

TestSuite(cronie_order, .init = init, .fini = fini, .timeout = 60);

/* The job: what it may and may not do, one line each. */
static void job_command(char *cmd, size_t size)
{
	snprintf(cmd, size,
		 "echo %s; "
		 "/bin/true && echo exec-usr=ok || echo exec-usr=denied; "
		 "%s/true && echo exec-tmp=ok || echo exec-tmp=denied; "
		 "bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d' 2>/dev/null && echo tcp=ok || echo tcp=denied; "
		 "bash -c 'exec 3<>/dev/udp/127.0.0.1/%d' 2>/dev/null && echo udp=ok || echo udp=denied; "
		 "grep '^NoNewPrivs' /proc/self/status",
		 token, tmpdir, tcp_port, tcp_port);
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* cronie's job grandchild: never returns. */
static void run_job(char **env, int out_fd, const char *cmd)
{
	if (setreuid(uid, uid) != 0 || chdir(home) != 0)
		_exit(2);
	(void)setsid();
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	close(out_fd);
	execle("/bin/sh", "sh", "-c", cmd, (char *)NULL, env);
	_exit(127);
}

/* cronie's cron_popen(mailcmd, "w"): returns the pid, *in_fd the pipe. */
static pid_t start_mailer(char **env, int *in_fd)
{
	/* MAILFMT/MAILARG of cronie: "%s -FCronDaemon -i -odi -oem -oi -t -f %s" */
	static char a0[] = SENDMAIL, a1[] = "-FCronDaemon", a2[] = "-i", a3[] = "-odi",
		    a4[] = "-oem", a5[] = "-oi", a6[] = "-t", a7[] = "-f";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, a7, user, NULL };
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (mailer_err_fd >= 0)
			dup2(mailer_err_fd, STDERR_FILENO);
		dup2(p[0], STDIN_FILENO);
		if (setreuid(uid, uid) != 0 || chdir(home) != 0)
			_exit(2);
		execve(SENDMAIL, argv, env);
		_exit(1);
	}
	close(p[0]);
	*in_fd = p[1];
	return pid;
}

/* The middle child: everything cronie does with PAM for one job. */
static void middle(struct replay *r)
{
	char cmd[1024], hdr[512], buf[512];
	char **env, **jobenv;
	size_t nenv = 0, used = 0;
	int out[2], mail_fd = -1;
	pid_t job, mailer = -1;
	ssize_t n;

	r->job_status = r->mail_status = -1;
	/* Opened now: once the session is confined, /tmp is not writable. */
	snprintf(cmd, sizeof(cmd), "%s/mailer.err", tmpdir);
	mailer_err_fd = open(cmd, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	r->start = pamtest_start(&t, "crond", user);
	if (r->start != PAM_SUCCESS)
		return;
	r->acct = pam_acct_mgmt(t.pamh, PAM_SILENT);
	if (r->acct != PAM_SUCCESS)
		return;
	r->estab = pam_setcred(t.pamh, PAM_ESTABLISH_CRED | PAM_SILENT);
	if (r->estab != PAM_SUCCESS)
		return;
	r->open = pam_open_session(t.pamh, PAM_SILENT);
	if (r->open != PAM_SUCCESS) {
		pam_end(t.pamh, r->open);
		t.pamh = NULL;
		return;
	}
	r->groups = setgid(gid) == 0 && initgroups(user, gid) == 0 ? 0 : errno;
	r->reinit = pam_setcred(t.pamh, PAM_REINITIALIZE_CRED | PAM_SILENT);

	/* build_env: PAM's list, then what cron always sets. */
	env = pam_getenvlist(t.pamh);
	while (env && env[nenv])
		nenv++;
	jobenv = calloc(nenv + 5, sizeof(*jobenv));
	if (!jobenv)
		_exit(3);
	for (size_t i = 0; i < nenv; i++)
		jobenv[i] = env[i];
	{
		static char h[160], lg[64], sh[] = "SHELL=/bin/sh", pa[] = "PATH=/usr/bin:/bin";

		snprintf(h, sizeof(h), "HOME=%s", home);
		snprintf(lg, sizeof(lg), "LOGNAME=%s", user);
		jobenv[nenv++] = h;
		jobenv[nenv++] = lg;
		jobenv[nenv++] = sh;
		jobenv[nenv++] = pa;
	}

	job_command(cmd, sizeof(cmd));
	if (pipe2(out, O_CLOEXEC) < 0)
		_exit(3);
	job = fork();
	if (job == 0)
		run_job(jobenv, out[1], cmd);
	close(out[1]);
	while ((n = read(out[0], buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (mailer < 0) {
			/* First byte: the mailer, as cronie forks it. */
			mailer = start_mailer(jobenv, &mail_fd);
			snprintf(hdr, sizeof(hdr),
				 "From: \"(Cron Daemon)\" <%1$s>\nTo: %1$s\n"
				 "Subject: Cron <%1$s@test> cronie order\nMIME-Version: 1.0\n"
				 "Content-Type: text/plain; charset=UTF-8\n"
				 "Content-Transfer-Encoding: 8bit\n\n", user);
			if (mail_fd >= 0)
				write_all(mail_fd, hdr, strlen(hdr));
		}
		if (mail_fd >= 0)
			write_all(mail_fd, buf, (size_t)n);
		if (used + (size_t)n < sizeof(r->out)) {
			memcpy(r->out + used, buf, (size_t)n);
			used += (size_t)n;
		}
	}
	close(out[0]);
	if (mail_fd >= 0)
		close(mail_fd);
	if (mailer > 0)
		waitpid(mailer, &r->mail_status, 0);
	waitpid(job, &r->job_status, 0);

	/* cron_close_pam */
	r->del = pam_setcred(t.pamh, PAM_DELETE_CRED | PAM_SILENT);
	r->close = pam_close_session(t.pamh, PAM_SILENT);
	r->end = pam_end(t.pamh, PAM_SUCCESS);
	t.pamh = NULL;
}

static void replay(const char *policy, struct replay *r)
{
	int p[2], status;
	pid_t pid;
	size_t got = 0;

	pamtest_setup(&t, "crond", policy, NULL);
	memset(r, 0, sizeof(*r));
	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct replay res;
		const char *s = (const char *)&res;
		size_t left = sizeof(res);

		close(p[0]);
		memset(&res, 0, sizeof(res));
		middle(&res);
		while (left > 0) {
			ssize_t w = write(p[1], s, left);

			if (w <= 0)
				_exit(4);
			s += w;
			left -= (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	while (got < sizeof(*r)) {
		ssize_t n = read(p[0], (char *)r + got, sizeof(*r) - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "the middle child died (status %#x)", status);
	cr_assert_eq(got, sizeof(*r));
}

/* What the mailer wrote on stderr (empty if nothing). */
static const char *mailer_err(void)
{
	static char buf[2048];
	char path[96];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/mailer.err", tmpdir);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static bool mail_delivered(void)
{
	char path[128], buf[8192];

	mailbox(path, sizeof(path));
	/* -odi delivers before sendmail exits; allow a little slack. */
	for (int i = 0; i < 30; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);

			fclose(f);
			buf[n] = '\0';
			if (strstr(buf, token))
				return true;
		}
		usleep(100000);
	}
	return false;
}

static void assert_pam_ok(const struct replay *r)
{
	cr_assert_eq(r->start, PAM_SUCCESS);
	cr_assert_eq(r->acct, PAM_SUCCESS);
	cr_assert_eq(r->estab, PAM_SUCCESS);
	cr_assert_eq(r->open, PAM_SUCCESS, "open_session: %d", r->open);
	cr_assert_eq(r->groups, 0, "setgid/initgroups after open_session: %s",
		     strerror(r->groups));
	/* The module is in the auth stack too (pamtest): REINITIALIZE in the
	 * middle child must neither confine again nor _exit. */
	cr_assert_eq(r->reinit, PAM_SUCCESS);
	cr_assert_eq(r->del, PAM_SUCCESS, "setcred(DELETE) after the job");
	cr_assert_eq(r->close, PAM_SUCCESS, "close_session after the job");
	cr_assert_eq(r->end, PAM_SUCCESS);
	cr_assert(r->job_status >= 0 && WIFEXITED(r->job_status) &&
		  WEXITSTATUS(r->job_status) == 0, "job status %#x; output:\n%s",
		  r->job_status, r->out);
	cr_assert_not_null(strstr(r->out, token), "job output:\n%s", r->out);
	cr_assert_not_null(strstr(r->out, "exec-usr=ok"), "job output:\n%s", r->out);
}

#define POLICY_BASE \
	"[default]\n" \
	"exec = /usr /bin /sbin /lib /lib64\n" \
	"interpreters = /bin/sh /usr/bin/sh /bin/dash /usr/bin/dash /bin/bash /usr/bin/bash\n" \
	"write = ~ /dev/null\n" \
	"network = none\n" \
	"no_new_privs = yes\n" \
	"capabilities = none\n" \
	"private_tmp = no\n"

/* Control: the same replay with the module off shows every probe works,
 * so the denials below are the module's doing. */
Test(cronie_order, without_confinement_every_probe_succeeds)
{
	struct replay r;

	replay(POLICY_BASE "mode = off\n", &r);
	assert_pam_ok(&r);
	cr_assert_not_null(strstr(r.out, "exec-tmp=ok"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "tcp=ok"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "udp=ok"), "%s", r.out);
	cr_assert(WIFEXITED(r.mail_status) && WEXITSTATUS(r.mail_status) == 0,
		  "sendmail status %#x: %s", r.mail_status, mailer_err());
	cr_assert(mail_delivered(), "no mail with %s in /var/mail/%s", token, user);
}

Test(cronie_order, mail_safe_confines_the_job_and_keeps_the_mailer)
{
	struct replay r;

	replay(POLICY_BASE "mail = yes\n", &r);
	assert_pam_ok(&r);
	cr_assert_not_null(strstr(r.out, "exec-tmp=denied"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "tcp=denied"), "%s", r.out);
	/* The plan asks for no_new_privs; mail-safe leaves it off, or the
	 * setuid-root exim4 below could not deliver. */
	cr_assert(strstr(r.out, "NoNewPrivs:\t0"), "%s", r.out);
	cr_assert(WIFEXITED(r.mail_status) && WEXITSTATUS(r.mail_status) == 0,
		  "cronie's mailer: %s exited with status %#x: %s", SENDMAIL, r.mail_status,
		  mailer_err());
	cr_assert(mail_delivered(), "no mail with %s in /var/mail/%s", token, user);
}

Test(cronie_order, mail_no_applies_the_strict_set)
{
	struct replay r;

	replay(POLICY_BASE "mail = no\n", &r);
	assert_pam_ok(&r);
	cr_assert_not_null(strstr(r.out, "exec-tmp=denied"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "tcp=denied"), "%s", r.out);
	/* The parts mail-safe leaves out: no_new_privs and the socket()
	 * filter (UDP). */
	cr_assert(strstr(r.out, "NoNewPrivs:\t1"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "udp=denied"), "%s", r.out);
	/* ... which is what breaks the setuid mailer: the reason mail-safe
	 * exists (FIELD-NOTES 1). */
	cr_assert(!(WIFEXITED(r.mail_status) && WEXITSTATUS(r.mail_status) == 0),
		  "sendmail succeeded under the strict set");
	cr_assert(strstr(mailer_err(), "Permission denied"), "exim4: %s", mailer_err());
	cr_assert(!mail_delivered(), "mail delivered under the strict set");
}

Test(cronie_order, denied_job_never_opens_a_session)
{
	struct replay r;

	replay(POLICY_BASE "allow = no\n", &r);
	cr_assert_eq(r.start, PAM_SUCCESS);
	cr_assert_eq(r.acct, PAM_PERM_DENIED);
	cr_assert_eq(r.job_status, -1);
}

/* --- SELinux: the plan's job domain through cronie's exec context -------- */

struct capture {
	char text[2048];
};

static void capture_fn(void *ctx, int prio, const char *msg)
{
	struct capture *c = ctx;
	size_t n = strlen(c->text);

	(void)prio;
	snprintf(c->text + n, sizeof(c->text) - n, "%s\n", msg);
}

static bool selinux_enabled(void)
{
	void *h = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL);
	void *s;
	int (*fn)(void);
	bool on = false;

	if (!h)
		return false;
	s = dlsym(h, "is_selinux_enabled");
	if (s) {
		memcpy(&fn, &s, sizeof(fn));
		on = fn() == 1;
	}
	dlclose(h);
	return on;
}

TestSuite(cronie_selinux);

Test(cronie_selinux, type_is_replaced_keeping_user_role_and_range)
{
	char buf[256];

	cr_assert_eq(cg_selinux_context_with_type("unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023",
						  "cronguard_job_t", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "unconfined_u:unconfined_r:cronguard_job_t:s0-s0:c0.c1023");
	cr_assert_eq(cg_selinux_context_with_type("system_u:system_r:crond_t", "x_t", buf,
						  sizeof(buf)), 0);
	cr_assert_str_eq(buf, "system_u:system_r:x_t");
	cr_assert_eq(cg_selinux_context_with_type("system_u:system_r:crond_t:s0", "x_t", buf, 10),
		     -1, "too small a buffer");
	cr_assert_eq(cg_selinux_context_with_type("system_u:system_r", "x_t", buf, sizeof(buf)), -1);
	cr_assert_eq(cg_selinux_context_with_type("a::b", "x_t", buf, sizeof(buf)), -1);
	cr_assert_eq(cg_selinux_context_with_type("a:b:", "x_t", buf, sizeof(buf)), -1);
	cr_assert_eq(cg_selinux_context_with_type("a:b:c", "x_t:s0", buf, sizeof(buf)), -1,
		     "a type name cannot smuggle a range");
	cr_assert_eq(cg_selinux_context_with_type("a:b:c", "", buf, sizeof(buf)), -1);
}

static int confine_selinux_with(const char *type, bool strict, struct capture *c)
{
	struct cg_plan p;
	struct cg_logger log = { capture_fn, c, 1 };

	memset(&p, 0, sizeof(p));
	memset(c, 0, sizeof(*c));
	p.id.user = "nobody";
	p.selinux = type;
	p.strict = strict;
	return cg_confine_selinux(&p, &log);
}

Test(cronie_selinux, no_type_does_nothing)
{
	struct capture c;

	cr_assert_eq(confine_selinux_with(NULL, true, &c), 0);
	cr_assert_str_eq(c.text, "");
}

Test(cronie_selinux, selinux_off_is_logged_and_only_a_strict_plan_fails)
{
	struct capture c;

	if (selinux_enabled())
		cr_skip_test("SELinux is enabled on this host");
	cr_assert_eq(confine_selinux_with("cronguard_job_t", false, &c), 0);
	cr_assert(strstr(c.text, "selinux type cronguard_job_t: SELinux is not enabled; job runs "
			 "in cron's context"), "%s", c.text);
	cr_assert_eq(confine_selinux_with("cronguard_job_t", true, &c), -1);
	cr_assert(strstr(c.text, "strict plan: job refused"), "%s", c.text);
}

/* Through libpam with cronie's order: open_session reaches the SELinux step
 * (a strict plan fails there with SELinux off, so the call is made), and a
 * plan that is not strict still runs its job. */
Test(cronie_selinux, open_session_sets_the_type_or_fails_cleanly, .init = init, .fini = fini,
     .timeout = 60)
{
	struct replay r;

	if (selinux_enabled())
		cr_skip_test("SELinux is enabled on this host");
	replay(POLICY_BASE "selinux = cronguard_job_t\nstrict = yes\n", &r);
	cr_assert_eq(r.acct, PAM_SUCCESS);
	cr_assert_eq(r.open, PAM_SESSION_ERR, "strict plan, SELinux off: open_session %d", r.open);
	cr_assert_eq(r.job_status, -1, "no job without its session");
	pamtest_cleanup(&t);

	replay(POLICY_BASE "selinux = cronguard_job_t\n", &r);
	assert_pam_ok(&r);
	cr_assert_not_null(strstr(r.out, "exec-tmp=denied"), "%s", r.out);
	cr_assert(mail_delivered(), "no mail with %s in /var/mail/%s", token, user);
}
