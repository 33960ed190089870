/* gate.h - may this user's cron job run?  (account phase)
 *
 * cron writes crontab variables on top of PAM's environment, so a PAM
 * module cannot remove LD_PRELOAD= or BASH_ENV= lines: it can only refuse to
 * start jobs whose crontab sets them (FIELD-NOTES section 1).  The gate reads
 * every crontab that holds this user's jobs, as cron does, and checks the
 * environment each of the user's jobs would get against the plan. */
#ifndef CG_GATE_H
#define CG_GATE_H

#include <stdbool.h>

#include "logger.h"
#include "plan.h"

/* Where cron keeps its crontabs (they differ between cron and cronie). */
struct cg_cron_files {
	const char *spool_dir;          /* per-user crontabs, named after the user */
	const char *system_crontab;     /* /etc/crontab */
	const char *system_dir;         /* /etc/cron.d */
	bool cronie_names;              /* which /etc/cron.d names are read */
};

extern const struct cg_cron_files cg_debian_cron_files;
extern const struct cg_cron_files cg_cronie_files;

struct cg_verdict {
	bool deny;
	const char *rule;               /* allow, env.deny, interpreters, path */
	char where[4096 + 16];          /* FILE:LINE of the offending line, or "" */
	char reason[512];
};

/* Decides for the plan's user.  Returns 0 with *v filled (v->deny), or -1
 * when a file could not be read (the caller fails closed), after logging. */
int cg_gate_decide(const struct cg_plan *p, const struct cg_cron_files *files,
		   struct cg_verdict *v, const struct cg_logger *log);

#endif
