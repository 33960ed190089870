/* module_account.c - pam_sm_acct_mgmt: may this job run at all? */
#include "confine.h"
#include "manifest.h"
#include "module.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_ext.h>

/* The scripts a job may run must still match the manifest: the directories
 * the manifest pins (its `dir` lines) are verified, through the root-only
 * cache (the module's cachedir=, none with nocache), so an unchanged tree
 * costs a stat per file.  Exec directories the manifest does not name
 * (/usr: the package manager's) are not pinned. */
static void check_manifest(const struct cg_plan *p, const char *cache_dir, struct cg_verdict *v,
			   const struct cg_logger *log)
{
	static const struct cg_strlist manifest_dirs = { NULL, 0 };
	const struct cg_manifest_opts opts = { cache_dir, true };
	struct cg_manifest_report r = { 0 };
	int rc = cg_manifest_verify(p->manifest, &manifest_dirs, &opts, &r, log);
	const struct cg_origin *o = &p->origin[CG_KEY_MANIFEST];

	if (rc != 0) {
		v->deny = true;
		v->rule = "manifest";
		if (o->file)
			snprintf(v->where, sizeof(v->where), "%s:%u", o->file, o->line);
		if (rc < 0) {
			snprintf(v->reason, sizeof(v->reason),
				 "manifest %s cannot be verified", p->manifest);
		} else {
			cg_manifest_log_findings(&r, log, LOG_WARNING);
			snprintf(v->reason, sizeof(v->reason), "%s: %s (%zu finding%s against %s)",
				 r.findings[0].path, r.findings[0].detail, r.nfindings,
				 r.nfindings == 1 ? "" : "s", p->manifest);
		}
	}
	cg_manifest_report_free(&r);
}

/* The Landlock rules the jobs will need, resolved now, once, to be
 * remembered with the plan: later jobs' processes then only open and add
 * them (apply.h).  Only for a plan the job will be confined by. */
static void prepare_landlock(struct cg_module_state *st, const struct cg_logger *log)
{
	bool mail_safe = st->args.hook == CG_HOOK_SESSION && st->plan.mail;

	if (st->plan.mode != CG_MODE_ENFORCE ||
	    cg_landlock_prepare(&st->plan, mail_safe, &st->plan.arena, &st->landlock, log) != 1)
		memset(&st->landlock, 0, sizeof(st->landlock));
}

/* The gate, in full; an "allow" is remembered with the plan for the next
 * job (plan_cache.h).  Failing to remember costs only speed. */
static int decide(struct cg_module_state *st, struct cg_verdict *v, const struct cg_logger *log)
{
	struct cg_gate_trace t = { 0 };
	struct cg_pcache_key key = { st->args.conffile, &st->args.files, st->user };
	const char *what;
	int rc = cg_gate_decide(&st->plan, &st->args.files, v, log,
				st->pend.armed ? &t : NULL);

	if (rc == 0 && !v->deny && st->pend.armed && geteuid() == 0) {
		prepare_landlock(st, log);
		if (cg_pcache_save(st->args.cache_dir, &key, &st->pend, &st->plan, &t,
				   &st->landlock, &what) < 0)
			cg_logf(log, LOG_DEBUG, "plan cache in %s: %s: %m", st->args.cache_dir,
				what);
		/* For later jobs, once remembered: this one resolves in full,
		 * so that only rules whose deps were found settled are used. */
		memset(&st->landlock, 0, sizeof(st->landlock));
	}
	cg_gate_trace_free(&t);
	return rc;
}

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
	if (st->remembered) {
		/* The plan cache vouches for the gate.  Not a memset: it would
		 * write all 4.6 KB, two fresh stack pages in every job. */
		v.deny = false;
		v.rule = NULL;
		v.where[0] = v.reason[0] = '\0';
	} else if (decide(st, &v, &log) < 0) {
		/* A crontab we could not read may hold anything: fail closed. */
		cg_module_log_decision(pamh, st, LOG_ERR, "deny", "crontab", NULL,
				       "a crontab could not be read");
		cg_module_audit(pamh, st, CG_AUDIT_USER_ACCT, "cronguard-deny-crontab", 0);
		return PAM_PERM_DENIED;
	}
	if (!v.deny && p->manifest)
		check_manifest(p, st->args.cache_dir, &v, &log);
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
