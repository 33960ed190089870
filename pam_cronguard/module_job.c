/* module_job.c - the hook inside Debian cron's job process.
 *
 * cron calls pam_setcred(PAM_REINITIALIZE_CRED) in the job process, as
 * root, after setgid/initgroups and before setuid and exec, and ignores the
 * return value (FIELD-NOTES section 1).  So this is the one place to confine
 * the job alone, and the only way to fail closed here is _exit(1): the job
 * must never run unconfined. */
#include "apply.h"
#include "module.h"

#include <unistd.h>

#include <security/pam_ext.h>

int cg_module_job(pam_handle_t *pamh, struct cg_module_state *st)
{
	const struct cg_plan *p = &st->plan;
	struct cg_logger log = cg_module_logger(pamh, st->args.debug);
	struct cg_confine_opts o = {
		.mail_safe = false,
		.landlock = st->landlock.abi > 0 ? &st->landlock : NULL,
	};

	if (p->mode == CG_MODE_OFF)
		return PAM_IGNORE;
	if (p->mode == CG_MODE_COMPLAIN) {
		cg_module_log_decision(pamh, st, LOG_NOTICE, "would-confine", NULL, NULL,
				       "complain mode: job runs unconfined");
		return PAM_SUCCESS;
	}
	if (cg_confine_job(p, &o, &log) < 0) {
		cg_module_log_decision(pamh, st, LOG_ERR, "deny", "confine", NULL,
				       "the plan's confinement could not be applied; job not run");
		cg_module_audit(pamh, st, CG_AUDIT_USER_START, "cronguard-confine-failed", 0);
		_exit(1);
	}
	/* Only with `debug`: a syslog line costs every job a socket round trip. */
	if (st->args.debug)
		cg_module_log_decision(pamh, st, LOG_DEBUG, "confined", NULL, NULL, "job confined");
	return PAM_SUCCESS;
}
