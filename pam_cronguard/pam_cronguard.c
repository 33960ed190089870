/* pam_cronguard.c - the PAM entry points: find the state, dispatch.
 * See pam_cronguard(8) for the stacks and return values. */
#define PAM_SM_ACCOUNT
#define PAM_SM_AUTH
#define PAM_SM_SESSION

#include "module.h"

#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh; (void)flags; (void)argc; (void)argv;
	/* The module takes part in the auth stack only for setcred. */
	return PAM_IGNORE;
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct cg_module_state *st;
	int rc = PAM_SUCCESS;

	if (!(flags & PAM_REINITIALIZE_CRED))
		return PAM_IGNORE;
	st = cg_module_state(pamh, argc, argv, "setcred", &rc);
	if (!st) {
		/* In Debian cron's job process the return value is ignored:
		 * a job whose policy cannot be read must not start.  Any other
		 * caller (cronie's middle process) gets an error instead. */
		if (!cg_module_is_job_hook(pamh, argc, argv))
			return PAM_CRED_ERR;
		pam_syslog(pamh, LOG_ERR, "cronguard: job not run: no usable policy");
		_exit(1);
	}
	if (st->args.hook != CG_HOOK_JOB)
		return PAM_IGNORE;
	if (st->session_pid == getpid()) {
		/* The process that opened the session is cron's middle
		 * process, not the job: nothing to confine here. */
		return PAM_IGNORE;
	}
	return cg_module_job(pamh, st);
}

PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	int rc = PAM_SUCCESS;
	struct cg_module_state *st = cg_module_state(pamh, argc, argv, "account", &rc);

	(void)flags;
	return st ? cg_module_account(pamh, st) : rc;
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	int rc = PAM_SUCCESS;
	struct cg_module_state *st = cg_module_state(pamh, argc, argv, "session", &rc);

	(void)flags;
	if (!st)
		return rc == PAM_USER_UNKNOWN || rc == PAM_BUF_ERR ? rc : PAM_SESSION_ERR;
	return cg_module_session(pamh, st);
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh; (void)flags; (void)argc; (void)argv;
	return PAM_SUCCESS;
}
