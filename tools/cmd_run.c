/* cmd_run.c - `cronguard run [--user USER] [--policy FILE] -- COMMAND [ARGS]`:
 * run a command under a user's plan exactly as the module confines a cron
 * job, to try a job before cron runs it, or in a crontab line to verify one
 * script before it runs.
 *
 * The child does what Debian cron's job process does, in cron's order, and
 * calls the same core functions as the module (apply.h):
 *     setgid, initgroups       (root, switching users only)
 *     cg_apply_session()       (the module does this in open_session)
 *     cg_confine_job()         (the module: setcred REINITIALIZE)
 *     setuid, chdir(HOME), execv(COMMAND)
 * The parent waits and exits with the command's status. */
#include "apply.h"
#include "commands.h"
#include "manifest.h"
#include "tool_common.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit statuses of the command itself follow the shell's conventions. */
enum { RUN_CANNOT_EXEC = 126, RUN_NOT_FOUND = 127 };

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: cronguard run [-u USER] [-p FILE] [--keep-cwd] [--enforce] [-v] -- COMMAND [ARGS...]\n\n"
		"Runs COMMAND under USER's plan, confined exactly as pam_cronguard confines\n"
		"that user's cron jobs (namespaces, Landlock, capabilities, no_new_privs,\n"
		"seccomp, AppArmor, umask, limits, nice).\n\n"
		"  -u, --user USER    whose plan (default: the invoking user); another\n"
		"                     user than yourself needs root\n"
		"  -p, --policy FILE  policy file (default /etc/security/cronguard.conf\n"
		"                     and its drop-ins)\n"
		"      --keep-cwd     stay in the current directory instead of USER's home\n"
		"      --enforce      confine even when the plan's mode is complain or off\n"
		"  -v, --verbose      log every step of the confinement\n"
		"  -h, --help         this text\n\n"
		"Exit status: COMMAND's status; 126 when it could not be confined or\n"
		"executed (denied), 127 when not found, 128+N when killed by signal N;\n"
		"1 when the policy denies USER's jobs; 2 usage or configuration error.\n");
}

/* Finds COMMAND the way execvp() would, in the caller's PATH, so that the
 * file verified below is the file executed.  Returns a malloc()ed path, or
 * NULL with errno (ENOENT). */
static char *resolve_command(const char *cmd)
{
	const char *path = getenv("PATH");
	int saved = ENOENT;

	if (strchr(cmd, '/'))
		return strdup(cmd);
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t dlen = end ? (size_t)(end - path) : strlen(path);
		size_t len = (dlen ? dlen : 1) + 1 + strlen(cmd) + 1;
		char *full = malloc(len);
		struct stat st;

		if (!full)
			return NULL;
		snprintf(full, len, "%.*s/%s", (int)(dlen ? dlen : 1), dlen ? path : ".", cmd);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(full, X_OK) == 0)
				return full;
			saved = EACCES;
		}
		free(full);
		path += dlen;
		if (*path == ':')
			path++;
	}
	errno = saved;
	return NULL;
}

/* When the plan names a manifest, COMMAND is verified against it before
 * anything runs.  Returns 0 to run, -1 (after printing why) to refuse with
 * status 126; outside enforce mode a mismatch is printed and the command
 * runs, as the module's complain mode does. */
static int verify_command(const struct cg_plan *p, const char *path)
{
	const char *one[] = { path };
	const struct cg_strlist dirs = { one, 1 };
	struct cg_manifest_report r = { 0 };
	int rc;

	if (!p->manifest)
		return 0;
	/* The same check (and cache) as the module's, on this one file: it
	 * must be listed in the manifest and unchanged. */
	rc = cg_manifest_verify_dirs(p->manifest, &dirs, &r, &cg_stderr_logger);
	if (rc > 0) {
		cg_manifest_log_findings(&r, &cg_stderr_logger, LOG_ERR);
		fprintf(stderr, "cronguard run: %s does not match manifest %s\n",
			path, p->manifest);
	} else if (rc < 0) {
		fprintf(stderr, "cronguard run: manifest %s cannot be verified\n", p->manifest);
	}
	cg_manifest_report_free(&r);
	if (rc != 0 && p->mode != CG_MODE_ENFORCE) {
		fprintf(stderr, "cronguard run: mode %s: running it anyway\n", cg_mode_name(p->mode));
		return 0;
	}
	return rc == 0 ? 0 : -1;
}

/* The job's environment: the caller's, minus every variable the plan's
 * env.deny patterns name, plus the plan's env.set, with HOME, USER and
 * LOGNAME of the target user (cron sets those too).  PATH stays the
 * caller's: a crontab line decides its own PATH. */
static int build_env(const struct cg_plan *p)
{
	size_t n = 0;

	while (environ[n]) {
		char name[256];
		const char *eq = strchr(environ[n], '=');
		size_t len = eq ? (size_t)(eq - environ[n]) : strlen(environ[n]);

		if (len < sizeof(name)) {
			memcpy(name, environ[n], len);
			name[len] = '\0';
			if (cg_plan_env_denied(p, name)) {
				if (unsetenv(name) < 0)
					return -1;
				continue;       /* environ shifted down */
			}
		}
		n++;
	}
	for (size_t i = 0; i < p->env_set.n; i++) {
		const char *a = p->env_set.v[i], *eq = strchr(a, '=');
		char *name = eq ? strndup(a, (size_t)(eq - a)) : NULL;
		int r = name ? setenv(name, eq + 1, 1) : -1;

		free(name);
		if (r < 0)
			return -1;
	}
	if (setenv("HOME", p->id.home, 1) < 0 || setenv("USER", p->id.user, 1) < 0 ||
	    setenv("LOGNAME", p->id.user, 1) < 0)
		return -1;
	return 0;
}

/* In the child: become the job.  Never returns. */
static void run_child(const struct cg_plan *p, bool switch_user, bool confine, bool keep_cwd,
		      const char *path, char **argv, const struct cg_logger *log)
{
	struct cg_confine_opts opts = { .mail_safe = false };

	if (switch_user) {
		if (setgid(p->id.gid) < 0) {
			cg_logf(log, LOG_ERR, "setgid(%u): %m", (unsigned)p->id.gid);
			_exit(RUN_CANNOT_EXEC);
		}
		if (initgroups(p->id.user, p->id.gid) < 0) {
			cg_logf(log, LOG_ERR, "initgroups(%s): %m", p->id.user);
			_exit(RUN_CANNOT_EXEC);
		}
	}
	if (cg_apply_session(p, log) < 0)
		_exit(RUN_CANNOT_EXEC);
	if (confine && cg_confine_job(p, &opts, log) < 0) {
		cg_logf(log, LOG_ERR, "user %s: confinement could not be applied: "
			"not running %s", p->id.user, path);
		_exit(RUN_CANNOT_EXEC);
	}
	if (switch_user && setuid(p->id.uid) < 0) {
		cg_logf(log, LOG_ERR, "setuid(%u): %m", (unsigned)p->id.uid);
		_exit(RUN_CANNOT_EXEC);
	}
	/* cron runs every job in its user's home and skips the job when it
	 * cannot get there; --keep-cwd is for trying a command on files in
	 * the current directory. */
	if (!keep_cwd && chdir(p->id.home) < 0) {
		cg_logf(log, LOG_ERR, "chdir(%s): %m (use --keep-cwd to stay here)", p->id.home);
		_exit(RUN_CANNOT_EXEC);
	}
	execv(path, argv);
	cg_logf(log, LOG_ERR, "execute %s: %m", path);
	_exit(errno == ENOENT || errno == ENOTDIR ? RUN_NOT_FOUND : RUN_CANNOT_EXEC);
}

static int wait_child(pid_t pid)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status, rc;

	/* Like system(3): ^C goes to the command; we report how it ended. */
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	while ((rc = (int)waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (rc < 0) {
		perror("cronguard run: waitpid");
		return RUN_CANNOT_EXEC;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return RUN_CANNOT_EXEC;
}

static char *invoking_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw ? strdup(pw->pw_name) : NULL;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "policy", required_argument, NULL, 'p' },
		{ "keep-cwd", no_argument, NULL, 'k' },
		{ "enforce", no_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cg_logger log = cg_stderr_logger;
	const char *user = NULL, *policy = NULL;
	char *self = NULL, *path;
	bool keep_cwd = false, force = false, switch_user, confine;
	struct cg_policy pol;
	struct cg_plan plan;
	pid_t pid;
	int c, status;

	optind = 1;
	/* "+": options end at the first non-option, so COMMAND's own options
	 * are never taken for ours even without "--". */
	while ((c = getopt_long(argc, argv, "+u:p:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'u': user = optarg; break;
		case 'p': policy = optarg; break;
		case 'k': keep_cwd = true; break;
		case 'e': force = true; break;
		case 'v': log.debug = 1; break;
		case 'h': usage(stdout); return CG_EXIT_OK;
		default: usage(stderr); return CG_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "cronguard run: no COMMAND given\n");
		usage(stderr);
		return CG_EXIT_USAGE;
	}
	if (!user) {
		if (!(self = invoking_user())) {
			fprintf(stderr, "cronguard run: cannot find the invoking user (uid %u)\n",
				(unsigned)getuid());
			return CG_EXIT_USAGE;
		}
		user = self;
	}
	if (tool_load_policy(policy, &pol) < 0) {
		free(self);
		return CG_EXIT_USAGE;
	}
	if (tool_resolve_user(&pol, user, &plan) < 0) {
		cg_policy_free(&pol);
		free(self);
		return CG_EXIT_USAGE;
	}
	cg_policy_free(&pol);
	free(self);

	switch_user = plan.id.uid != getuid() || geteuid() == 0;
	if (plan.id.uid != getuid() && geteuid() != 0) {
		fprintf(stderr, "cronguard run: running as user %s needs root\n", plan.id.user);
		cg_plan_free(&plan);
		return CG_EXIT_USAGE;
	}
	if (!plan.allow && plan.mode != CG_MODE_OFF) {
		fprintf(stderr, "cronguard run: the policy denies cron jobs of user %s%s\n",
			plan.id.user, plan.mode == CG_MODE_COMPLAIN ? " (complain mode: running)" : "");
		if (plan.mode == CG_MODE_ENFORCE) {
			cg_plan_free(&plan);
			return CG_EXIT_FINDINGS;
		}
	}
	/* The module confines only in enforce mode (apply.h). */
	confine = plan.mode == CG_MODE_ENFORCE || force;
	if (!confine)
		fprintf(stderr, "cronguard run: user %s's plan is in %s mode: running unconfined "
			"(--enforce confines anyway)\n", plan.id.user, cg_mode_name(plan.mode));

	if (!(path = resolve_command(argv[optind]))) {
		int e = errno;

		fprintf(stderr, "cronguard run: %s: %s\n", argv[optind], strerror(e));
		cg_plan_free(&plan);
		return e == ENOENT ? RUN_NOT_FOUND : RUN_CANNOT_EXEC;
	}
	if (verify_command(&plan, path) < 0 || build_env(&plan) < 0) {
		free(path);
		cg_plan_free(&plan);
		return RUN_CANNOT_EXEC;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("cronguard run: fork");
		free(path);
		cg_plan_free(&plan);
		return RUN_CANNOT_EXEC;
	}
	if (pid == 0)
		run_child(&plan, switch_user, confine, keep_cwd, path, argv + optind, &log);
	status = wait_child(pid);
	free(path);
	cg_plan_free(&plan);
	return status;
}
