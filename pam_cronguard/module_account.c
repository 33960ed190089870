/* module_account.c - pam_sm_acct_mgmt: may this job run at all? */
#include "module.h"

#include <stdio.h>

#include <security/pam_ext.h>

int cg_module_account(pam_handle_t *pamh, struct cg_module_state *st)
{
	const struct cg_plan *p = &st->plan;
	struct cg_logger log = cg_module_logger(pamh, st->args.debug);
	struct cg_verdict v;
	char op[96];

	if (p->mode == CG_MODE_OFF) {
		cg_module_log_decision(pamh, st, LOG_INFO, "allow", "mode", NULL, "mode is off");
		return PAM_IGNORE;
	}
	if (cg_gate_decide(p, &st->args.files, &v, &log) < 0) {
		/* A crontab we could not read may hold anything: fail closed. */
		cg_module_log_decision(pamh, st, LOG_ERR, "deny", "crontab", NULL,
				       "a crontab could not be read");
		cg_module_audit(pamh, st, CG_AUDIT_USER_ACCT, "cronguard-deny-crontab", 0);
		return PAM_PERM_DENIED;
	}
	if (!v.deny) {
		cg_module_log_decision(pamh, st, LOG_INFO, "allow", NULL, NULL, "job may run");
		return PAM_SUCCESS;
	}
	if (p->mode == CG_MODE_COMPLAIN) {
		cg_module_log_decision(pamh, st, LOG_WARNING, "would-deny", v.rule, v.where,
				       v.reason);
		snprintf(op, sizeof(op), "cronguard-would-deny-%s", v.rule);
		cg_module_audit(pamh, st, CG_AUDIT_USER_ACCT, op, 1);
		return PAM_SUCCESS;
	}
	cg_module_log_decision(pamh, st, LOG_NOTICE, "deny", v.rule, v.where, v.reason);
	snprintf(op, sizeof(op), "cronguard-deny-%s", v.rule);
	cg_module_audit(pamh, st, CG_AUDIT_USER_ACCT, op, 0);
	return PAM_PERM_DENIED;
}
