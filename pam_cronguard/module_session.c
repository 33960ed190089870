/* module_session.c - pam_sm_open_session, in cron's middle process:
 * the PAM environment, umask, rlimits and nice that the job inherits, and,
 * where the cron has no job-process hook, the mail-safe confinement. */
#include "apply.h"
#include "confine_selinux.h"
#include "module.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_ext.h>

/* Removes what earlier modules (pam_env, ...) put in the PAM environment
 * that the plan denies.  Returns the number removed, or -1. */
static int filter_env(pam_handle_t *pamh, struct cg_module_state *st, bool apply)
{
	char **env = pam_getenvlist(pamh);
	int removed = 0, rc = 0;

	if (!env)
		return 0;
	for (char **e = env; *e; e++) {
		char *eq = strchr(*e, '=');
		const char *pattern;

		if (!eq)
			continue;
		*eq = '\0';
		pattern = cg_plan_env_denied(&st->plan, *e);
		if (pattern) {
			pam_syslog(pamh, LOG_NOTICE,
				   "cronguard: %s %s from the job environment (env.deny %s)",
				   apply ? "removed" : "would remove", *e, pattern);
			if (apply && pam_putenv(pamh, *e) != PAM_SUCCESS) {
				pam_syslog(pamh, LOG_ERR, "cannot remove %s from the PAM environment",
					   *e);
				rc = -1;
			}
			removed++;
		}
	}
	for (char **e = env; *e; e++)
		free(*e);
	free(env);
	return rc < 0 ? -1 : removed;
}

static int set_env(pam_handle_t *pamh, struct cg_module_state *st)
{
	for (size_t i = 0; i < st->plan.env_set.n; i++) {
		if (pam_putenv(pamh, st->plan.env_set.v[i]) != PAM_SUCCESS) {
			pam_syslog(pamh, LOG_ERR, "cannot set %s in the PAM environment",
				   st->plan.env_set.v[i]);
			return -1;
		}
	}
	return 0;
}

int cg_module_session(pam_handle_t *pamh, struct cg_module_state *st)
{
	const struct cg_plan *p = &st->plan;
	struct cg_logger log = cg_module_logger(pamh, st->args.debug);
	bool enforce = p->mode == CG_MODE_ENFORCE;

	if (p->mode == CG_MODE_OFF)
		return PAM_IGNORE;
	st->session_pid = getpid();
	if (filter_env(pamh, st, enforce) < 0 || (enforce && set_env(pamh, st) < 0))
		goto fail;
	if (enforce && cg_apply_session(p, &log) < 0)
		goto fail;
	if (st->args.hook == CG_HOOK_SESSION) {
		/* No hook runs inside the job process of this cron: confine
		 * here, keeping what cron's mailer and close_session need. */
		struct cg_confine_opts o = {
			.mail_safe = p->mail,
			.landlock = st->landlock.abi > 0 ? &st->landlock : NULL,
		};

		/* cronie set the job's exec context just before this call
		 * and will not set it again: the plan's type replaces it.
		 * Before Landlock, which would deny /proc/self/attr/exec. */
		if (enforce && cg_confine_selinux(p, &log) < 0) {
			cg_module_log_decision(pamh, st, LOG_ERR, "deny", "selinux", NULL,
					       "the plan's SELinux type could not be set");
			cg_module_audit(pamh, st, CG_AUDIT_USER_START, "cronguard-confine-failed", 0);
			return PAM_SESSION_ERR;
		}
		if (enforce && cg_confine_job(p, &o, &log) < 0) {
			cg_module_log_decision(pamh, st, LOG_ERR, "deny", "confine", NULL,
					       "the plan's confinement could not be applied");
			cg_module_audit(pamh, st, CG_AUDIT_USER_START, "cronguard-confine-failed", 0);
			return PAM_SESSION_ERR;
		}
	}
	/* The job's decision was logged by the account hook and the session
	 * start goes to the audit log below; a syslog line of its own costs
	 * every job another socket round trip, so only where this hook is
	 * the one that confines (as the job hook's "confined" line, with
	 * `debug` otherwise). */
	if (st->args.hook == CG_HOOK_SESSION && enforce)
		cg_module_log_decision(pamh, st, LOG_INFO, "confined", NULL, NULL,
				       "session limits applied, job confined (mail-safe)");
	else if (st->args.debug)
		cg_module_log_decision(pamh, st, LOG_DEBUG, "session", NULL, NULL,
				       enforce ? "session limits applied"
				       : "complain: nothing applied");
	cg_module_audit(pamh, st, CG_AUDIT_USER_START, "cronguard-session", 1);
	return PAM_SUCCESS;
fail:
	cg_module_log_decision(pamh, st, LOG_ERR, "deny", "session", NULL,
			       "the session settings could not be applied");
	cg_module_audit(pamh, st, CG_AUDIT_USER_START, "cronguard-session", 0);
	return PAM_SESSION_ERR;
}
