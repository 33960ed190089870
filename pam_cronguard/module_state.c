/* module_state.c - module arguments and the per-handle state (plan). */
#include "cache_dir.h"
#include "module.h"
#include "policy.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_ext.h>

#define CG_STATE_KEY "pam_cronguard_state"

static const char *arg_value(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

/* Path arguments must be absolute: a relative one would depend on cron's
 * working directory. */
static bool abs_arg(pam_handle_t *pamh, const char *arg, const char *value)
{
	if (value[0] == '/')
		return true;
	pam_syslog(pamh, LOG_ERR, "module argument %s: not an absolute path; failing closed", arg);
	return false;
}

int cg_module_parse_args(pam_handle_t *pamh, int argc, const char **argv,
			 struct cg_module_args *args)
{
	memset(args, 0, sizeof(*args));
	args->audit = true;
	args->conffile = CG_DEFAULT_CONFFILE;
	args->files = cg_debian_cron_files;
	args->cache_dir = CG_CACHE_DIR;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;

		if (strcmp(a, "debug") == 0) {
			args->debug = true;
		} else if (strcmp(a, "noaudit") == 0) {
			args->audit = false;
		} else if (strcmp(a, "nocache") == 0) {
			args->cache_dir = NULL;
		} else if ((v = arg_value(a, "cachedir"))) {
			if (!abs_arg(pamh, a, v))
				return -1;
			args->cache_dir = v;
		} else if ((v = arg_value(a, "conffile"))) {
			if (!abs_arg(pamh, a, v))
				return -1;
			args->conffile = v;
		} else if ((v = arg_value(a, "hook"))) {
			if (strcmp(v, "auto") == 0)
				args->hook = CG_HOOK_AUTO;
			else if (strcmp(v, "job") == 0)
				args->hook = CG_HOOK_JOB;
			else if (strcmp(v, "session") == 0)
				args->hook = CG_HOOK_SESSION;
			else {
				pam_syslog(pamh, LOG_ERR,
					   "module argument %s: expected auto, job or session; failing closed",
					   a);
				return -1;
			}
		} else if ((v = arg_value(a, "crontabs"))) {
			if (!abs_arg(pamh, a, v))
				return -1;
			args->files.spool_dir = v;
			args->files_set = true;
		} else if ((v = arg_value(a, "system_crontab"))) {
			if (!abs_arg(pamh, a, v))
				return -1;
			args->files.system_crontab = v;
			args->files_set = true;
		} else if ((v = arg_value(a, "system_crondir"))) {
			if (!abs_arg(pamh, a, v))
				return -1;
			args->files.system_dir = v;
			args->files_set = true;
		} else {
			pam_syslog(pamh, LOG_ERR, "unknown module argument '%s'; failing closed", a);
			return -1;
		}
	}
	return 0;
}

bool cg_module_is_job_hook(pam_handle_t *pamh, int argc, const char **argv)
{
	const void *service = NULL;
	const char *hook = NULL;

	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], "hook=", 5) == 0)
			hook = argv[i] + 5;
	/* Only an explicit session hook, or auto for another service, is not
	 * the job process; a garbled hook= must fail closed like job. */
	if (hook && strcmp(hook, "session") == 0)
		return false;
	if (hook && strcmp(hook, "auto") != 0)
		return true;
	return pam_get_item(pamh, PAM_SERVICE, &service) == PAM_SUCCESS && service &&
	       strcmp(service, "cron") == 0;
}

static void state_cleanup(pam_handle_t *pamh, void *data, int error_status)
{
	struct cg_module_state *st = data;

	(void)pamh;
	(void)error_status;
	cg_plan_free(&st->plan);
	free(st->user);
	free(st);
}

/* Which cron is calling, from the service name, unless hook= says so.
 * Upstream cronie (service "crond": Fedora, RHEL) keeps user crontabs in
 * /var/spool/cron; Debian's cronie 1.7.2 renames the service to "cronie"
 * and is built with Debian cron's /var/spool/cron/crontabs (read from its
 * binary), so only "crond" switches to the upstream spool. */
static void settle_hook(struct cg_module_state *st)
{
	if (st->args.hook == CG_HOOK_AUTO)
		st->args.hook = strcmp(st->service, "cron") == 0 ? CG_HOOK_JOB : CG_HOOK_SESSION;
	if (strcmp(st->service, "crond") == 0 && !st->args.files_set)
		st->args.files = cg_cronie_files;
	/* Both cronies read /etc/cron.d names Debian's cron skips (a dot). */
	if (strcmp(st->service, "crond") == 0 || strcmp(st->service, "cronie") == 0)
		st->args.files.cronie_names = true;
}

/* Notes what the plan cache needs to remember a full decision: the clock
 * read before the policy, and the policy's files as they were read (kept
 * in the plan's arena: the policy is freed before the gate runs). */
static void arm_pending(struct cg_module_state *st, const struct cg_policy *pol,
			const struct timespec *t0)
{
	struct cg_pcache_pending *pe = &st->pend;
	struct cg_input *in = cg_arena_zalloc(&st->plan.arena, (pol->nfiles + 1) * sizeof(*in));
	const char *dropins = cg_policy_dropin_dir(&st->plan.arena, st->args.conffile);

	if (!in || !dropins)
		return;
	for (size_t i = 0; i < pol->nfiles; i++) {
		if (!(in[i].path = cg_arena_strdup(&st->plan.arena, pol->files[i])))
			return;
		in[i].present = true;
		in[i].st = pol->file_st[i];
	}
	in[pol->nfiles].path = dropins;
	in[pol->nfiles].present = pol->dropin_present;
	in[pol->nfiles].st = pol->dropin_st;
	pe->t0 = *t0;
	pe->with_groups = cg_policy_has_groups(pol);
	pe->policy = in;
	pe->npolicy = pol->nfiles + 1;
	pe->armed = true;
}

static int load_plan(pam_handle_t *pamh, struct cg_module_state *st, const char *user)
{
	struct cg_policy pol = { 0 };
	struct cg_diags d = { 0 };
	struct cg_load_opts opts = { .require_root_owned = true, .dropins = true };
	struct cg_arena idarena = { 0 };
	struct cg_identity id;
	struct cg_pcache_key key = { st->args.conffile, &st->args.files, user };
	struct timespec t0;
	bool clock_ok = cg_pcache_clock(&t0) == 0;
	char line[1024];
	int rc = PAM_SUCCESS;

	/* Before the policy is read: t0 must precede every read it vouches for. */
	if (st->args.cache_dir && clock_ok && cg_pcache_lookup(st->args.cache_dir, &key, &st->plan,
									  &st->landlock)) {
		st->remembered = true;
		return PAM_SUCCESS;
	}
	if (cg_policy_load(&pol, st->args.conffile, &opts, &d) < 0) {
		const struct cg_diag *e = cg_diag_first_error(&d);

		if (e)
			cg_diag_format(e, line, sizeof(line));
		else
			snprintf(line, sizeof(line), "%s: out of memory", st->args.conffile);
		cg_module_log_decision(pamh, st, LOG_ERR, "deny", "policy", NULL, line);
		if (d.errors > 1)
			pam_syslog(pamh, LOG_ERR, "%zu more policy errors; run 'cronguard check'",
				   d.errors - 1);
		rc = PAM_SERVICE_ERR;
		goto out;
	}
	if (cg_identity_lookup_for(&idarena, user, &pol, &id) < 0) {
		int e = errno;

		snprintf(line, sizeof(line), "user lookup failed: %s",
			 e == ENOENT ? "no such user" : strerror(e));
		cg_module_log_decision(pamh, st, LOG_ERR, "deny", "user", NULL, line);
		rc = e == ENOENT ? PAM_USER_UNKNOWN : PAM_SYSTEM_ERR;
		goto out;
	}
	if (cg_resolve(&pol, &id, &st->plan, &d) < 0) {
		const struct cg_diag *e = cg_diag_first_error(&d);

		if (e)
			cg_diag_format(e, line, sizeof(line));
		else
			snprintf(line, sizeof(line), "cannot resolve the policy");
		cg_module_log_decision(pamh, st, LOG_ERR, "deny", "policy", NULL, line);
		rc = PAM_SERVICE_ERR;
	} else if (st->args.cache_dir && clock_ok) {
		arm_pending(st, &pol, &t0);
	}
out:
	cg_arena_free(&idarena);
	cg_policy_free(&pol);
	cg_diags_free(&d);
	return rc;
}

struct cg_module_state *cg_module_state(pam_handle_t *pamh, int argc, const char **argv,
					const char *hook_name, int *pam_rc)
{
	const void *data = NULL;
	const void *item = NULL;
	const char *user = NULL;
	struct cg_module_state *st;

	if (pam_get_data(pamh, CG_STATE_KEY, &data) == PAM_SUCCESS && data)
		return (struct cg_module_state *)(uintptr_t)data;

	st = calloc(1, sizeof(*st));
	if (!st) {
		pam_syslog(pamh, LOG_CRIT, "%s: out of memory; failing closed", hook_name);
		*pam_rc = PAM_BUF_ERR;
		return NULL;
	}
	if (cg_module_parse_args(pamh, argc, argv, &st->args) < 0) {
		free(st);
		*pam_rc = PAM_SERVICE_ERR;
		return NULL;
	}
	if (pam_get_item(pamh, PAM_SERVICE, &item) != PAM_SUCCESS || !item)
		item = "?";
	st->service = item;
	settle_hook(st);
	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || !item ||
	    !*(const char *)item) {
		pam_syslog(pamh, LOG_ERR, "%s: no user name; failing closed", hook_name);
		free(st);
		*pam_rc = PAM_USER_UNKNOWN;
		return NULL;
	}
	/* A copy: another module may set PAM_USER before the account hook. */
	user = st->user = strdup(item);
	if (!user) {
		pam_syslog(pamh, LOG_CRIT, "%s: out of memory; failing closed", hook_name);
		free(st);
		*pam_rc = PAM_BUF_ERR;
		return NULL;
	}
	*pam_rc = load_plan(pamh, st, user);
	if (*pam_rc != PAM_SUCCESS) {
		cg_plan_free(&st->plan);
		free(st->user);
		free(st);
		return NULL;
	}
	if (pam_set_data(pamh, CG_STATE_KEY, st, state_cleanup) != PAM_SUCCESS) {
		pam_syslog(pamh, LOG_CRIT, "%s: cannot keep state; failing closed", hook_name);
		state_cleanup(pamh, st, 0);
		*pam_rc = PAM_BUF_ERR;
		return NULL;
	}
	return st;
}
