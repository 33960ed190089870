/* module.h - the PAM module's own pieces: arguments, per-job state, the
 * decisions of each hook, and the log and audit lines they write.  The
 * entry points in pam_cronguard.c only dispatch here. */
#ifndef CG_MODULE_H
#define CG_MODULE_H

#include <stdbool.h>
#include <sys/types.h>

#include <security/pam_modules.h>

#include "gate.h"
#include "logger.h"
#include "plan.h"
#include "plan_cache.h"

/* Where the job-process confinement happens. */
enum cg_hook {
	CG_HOOK_AUTO,       /* by service name: "cron" -> job, others -> session */
	CG_HOOK_JOB,        /* Debian cron: setcred(PAM_REINITIALIZE_CRED) in the job process */
	CG_HOOK_SESSION,    /* cronie, fcron, systemd PAMName=: open_session, mail-safe */
};

struct cg_module_args {
	bool debug;
	bool audit;                      /* write Linux audit records (default yes) */
	const char *conffile;
	enum cg_hook hook;
	struct cg_cron_files files;
	bool files_set;                  /* crontabs=/system_crontab=/system_crondir= given */
	const char *cache_dir;           /* remembered plans (plan_cache.h), or NULL */
};

/* What one job's PAM handle carries from hook to hook (pam_set_data).  The
 * job process is a fork of the process that resolved the plan, so it finds
 * the plan here without reading the policy again. */
struct cg_module_state {
	struct cg_module_args args;
	const char *service;
	char *user;                      /* PAM_USER, as the plan was asked for */
	struct cg_plan plan;
	pid_t session_pid;               /* 0 until open_session */
	/* The plan came from the plan cache, with the gate's "allow". */
	bool remembered;
	/* Or it was decided in full: what the cache needs to remember it. */
	struct cg_pcache_pending pend;
	/* Landlock rules prepared for the plan (from the cache, or when the
	 * decision was remembered), for the job's confinement; abi 0: none. */
	struct cg_ll_prepared landlock;
};

/* Parses argv; on error logs the bad argument and returns -1. */
int cg_module_parse_args(pam_handle_t *pamh, int argc, const char **argv,
			 struct cg_module_args *args);

/* Returns this handle's state, loading policy and plan on first use.  On
 * failure logs why and returns NULL with *pam_rc set to the code to return. */
struct cg_module_state *cg_module_state(pam_handle_t *pamh, int argc, const char **argv,
					const char *hook_name, int *pam_rc);

/* Is this call Debian cron's job-process hook (service "cron" or hook=job)?
 * Decided without the state, for when the state cannot be built. */
bool cg_module_is_job_hook(pam_handle_t *pamh, int argc, const char **argv);

/* A logger writing to pam_syslog for this handle. */
struct cg_logger cg_module_logger(pam_handle_t *pamh, bool debug);

/* One greppable syslog line per decision, and a Linux audit record for
 * denials and session starts.  decision: "allow", "deny", "would-deny",
 * "session", "confined", ... */
void cg_module_log_decision(pam_handle_t *pamh, const struct cg_module_state *st, int prio,
			    const char *decision, const char *rule, const char *where,
			    const char *reason);
/* Audit record types (libaudit.h's values; spelled out so a build without
 * libaudit still compiles the callers). */
#define CG_AUDIT_USER_ACCT 1101         /* AUDIT_USER_ACCT: access decision */
#define CG_AUDIT_USER_START 1105        /* AUDIT_USER_START: session start */

/* type: CG_AUDIT_USER_ACCT or CG_AUDIT_USER_START; result 1 success, 0 failure. */
void cg_module_audit(pam_handle_t *pamh, const struct cg_module_state *st, int type,
		     const char *op, int result);

int cg_module_account(pam_handle_t *pamh, struct cg_module_state *st);  /* module_account.c */
int cg_module_session(pam_handle_t *pamh, struct cg_module_state *st);  /* module_session.c */
/* The job-process hook; never returns on failure (_exit). */
int cg_module_job(pam_handle_t *pamh, struct cg_module_state *st);      /* module_job.c */

#endif
